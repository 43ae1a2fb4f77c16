"""Recognise the everyday request, a POST of one JSON operation, before strawberry's view.

Strawberry's HTTP view handles every shape of request (GET with query parameters, multipart
uploads, batches, streamed transports, the IDE page) and pays for that generality on each one:
request adapters, a MIME parser built on `email.message`, and a second read of the body.
`plain_json_post` picks out the requests for which all of that decides nothing: POST,
`Content-Type: application/json`, and a body that is one JSON object whose members have the
types GraphQL over HTTP allows. For those `api.graphql_app` runs the view's remaining steps
itself (context, execution, result, response), the same methods in the same order. Anything
else, every malformed request among it, goes through the view unchanged, so its errors are
worded and coded exactly as before.
"""

from __future__ import annotations

import orjson
from strawberry.http import GraphQLRequestData

JSON = "application/json"


def plain_json_post(method: str, content_type: str | None, body: bytes) -> GraphQLRequestData | None:
    """The operation of a plain JSON POST, or None when strawberry's view must read the request."""
    if method != "POST" or content_type is None:
        return None
    if content_type.split(";", 1)[0].strip().lower() != JSON:
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None  # the view answers it (400, with its message)
    if not isinstance(data, dict):
        return None
    query, variables = data.get("query"), data.get("variables")
    extensions, operation_name = data.get("extensions"), data.get("operationName")
    if not isinstance(query, str) or not isinstance(operation_name, str | None):
        return None
    if not isinstance(variables, dict | None) or not isinstance(extensions, dict | None):
        return None
    return GraphQLRequestData(
        query=query,
        variables=variables,
        operation_name=operation_name,
        extensions=extensions,
        protocol="http",
    )
