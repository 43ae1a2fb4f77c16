"""GraphQL over HTTP's two answer types (the spec's `application/graphql-response+json` and the
legacy `application/json`), chosen from `Accept`.

Under the new type a *request error* (the document does not parse or validate, or a variable
cannot be coerced: nothing was executed) is a 400 without a `data` entry, so a client can tell
"your request is wrong" from "it ran and a field failed" by the status alone. Under
`application/json`, what every existing client asks for (or `*/*`, or nothing), answers stay as
they were: 200 with `data: null`.
"""

from __future__ import annotations

from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

GRAPHQL_RESPONSE = "application/graphql-response+json"
LEGACY = "application/json"
# On the ASGI scope of a /graphql request: whether Accept chose the new type (decided once, by
# the endpoint), and a marker set when the result was a request error.
PREFERENCE_KEY = "eduhub.graphql_response"
REQUEST_ERROR_KEY = "eduhub.request_error"


def prefers_graphql_response(accept: str | None) -> bool:
    """True when `Accept` ranks the new type at least as high as application/json."""
    if not accept:
        return False
    ranks = {GRAPHQL_RESPONSE: 0.0, LEGACY: 0.0}
    for media_range in accept.split(","):
        media_type, *params = (part.strip() for part in media_range.split(";"))
        if media_type.lower() in ranks:
            ranks[media_type.lower()] = max(ranks[media_type.lower()], _quality(params))
    return ranks[GRAPHQL_RESPONSE] > 0 and ranks[GRAPHQL_RESPONSE] >= ranks[LEGACY]


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(1.0, max(0.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def is_request_error(result: ExecutionResult) -> bool:
    """Nothing was executed: parse or validation failed, or variables could not be coerced.

    strawberry marks the first two (PreExecutionError); graphql-core reports failed variable
    coercion as errors without a field path and no data, which execution errors never are.
    """
    if isinstance(result, PreExecutionError):
        return True
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)
