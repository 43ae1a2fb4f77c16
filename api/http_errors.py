"""Transport errors of `/graphql`: GraphQL-shaped JSON with the right 4xx status, never text/plain.

A request the GraphQL layer cannot even start answers, as the GraphQL-over-HTTP spec puts it,
with a request error and no `data`:

    {"errors": [{"message": "요청 본문이 올바른 JSON이 아닙니다.", "extensions": {"code": "BAD_REQUEST"}}]}

| Problem                                                        | Status | `extensions.code`            |
|----------------------------------------------------------------|--------|------------------------------|
| body larger than `MAX_REQUEST_BYTES` (checked before parsing)  | 413    | PAYLOAD_TOO_LARGE            |
| POST without `Content-Type: application/json`                  | 415    | UNSUPPORTED_MEDIA_TYPE       |
| bad JSON, JSON but no object, an array (no batching),          | 400    | BAD_REQUEST                  |
| `query`/`variables`/`extensions`/`operationName` of wrong type, |        |                              |
| no `query`                                                     |        |                              |
| unknown `operationName`, or none among several operations      | 400    | OPERATION_RESOLUTION_FAILURE |
| a subscription over HTTP (they run over WebSocket)             | 400    | BAD_REQUEST                  |
| a mutation over GET; a method other than GET and POST          | 405    | METHOD_NOT_ALLOWED           |
| GraphiQL asked for while it is off                             | 404    | NOT_FOUND                    |

The codes are Apollo Server's where it has one (BAD_REQUEST, OPERATION_RESOLUTION_FAILURE), so
clients can branch on them; messages are Korean, for the person reading them.
"""

from __future__ import annotations

from collections.abc import Mapping
from json import JSONDecodeError

import orjson
from cross_web import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import Message, Receive
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

BAD_REQUEST = "BAD_REQUEST"
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"

NOT_AN_OBJECT = '요청 본문은 JSON 객체({"query": ...})여야 합니다.'
OPERATION_NAME_NOT_STRING = "`operationName`은 문자열이어야 합니다."
NO_OPERATION_CHOSEN = (
    "실행할 연산을 정할 수 없습니다: 문서에 연산이 여러 개이면 `operationName`으로 하나를 골라야 합니다."
)

# strawberry's reasons for a 400, in Korean; anything not listed keeps strawberry's own text.
_REASONS: dict[str, str] = {
    "Unable to parse request body as JSON": "요청 본문이 올바른 JSON이 아닙니다.",
    "Batching is not enabled": "여러 연산을 배열로 보내는 일괄 요청은 지원하지 않습니다.",
    "The GraphQL operation's `query` must be a string or null, if provided.": (
        "`query`는 문자열이어야 합니다."
    ),
    "The GraphQL operation's `variables` must be an object or null, if provided.": (
        "`variables`는 JSON 객체여야 합니다."
    ),
    "The GraphQL operation's `extensions` must be an object or null, if provided.": (
        "`extensions`는 JSON 객체여야 합니다."
    ),
    "No GraphQL query found in the request": "요청에 GraphQL `query`가 없습니다.",
}


class TransportError(Exception):
    """A request refused before any GraphQL ran; `response()` is what the caller gets."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body = {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}
        return Response(
            orjson.dumps(body), status_code=self.status, media_type="application/json", headers=self.headers
        )


def too_large(limit: int) -> TransportError:
    return TransportError(
        413, "PAYLOAD_TOO_LARGE", f"요청 본문이 너무 큽니다: 최대 {limit:,}바이트까지 받습니다."
    )


OperationChoiceError = CannotGetOperationTypeError | InvalidOperationTypeError | MissingQueryError


def from_execution(error: OperationChoiceError, method: str) -> TransportError:
    """Our answer when `schema.execute` cannot choose or may not run the operation."""
    if isinstance(error, MissingQueryError):
        return TransportError(400, BAD_REQUEST, _REASONS["No GraphQL query found in the request"])
    if isinstance(error, CannotGetOperationTypeError):
        if error.operation_name is None:
            return TransportError(400, OPERATION_RESOLUTION_FAILURE, NO_OPERATION_CHOSEN)
        message = f"문서에 이름이 `{error.operation_name}`인 연산이 없습니다."
        return TransportError(400, OPERATION_RESOLUTION_FAILURE, message)
    if error.operation_type is OperationType.SUBSCRIPTION:
        message = "구독(subscription)은 WebSocket(graphql-transport-ws)으로만 받습니다."
        return TransportError(400, BAD_REQUEST, message)
    if method == "GET":
        message = "GET으로는 조회(query)만 할 수 있습니다. 변경(mutation)은 POST로 보내야 합니다."
        return TransportError(405, "METHOD_NOT_ALLOWED", message, headers={"Allow": "POST"})
    return TransportError(400, BAD_REQUEST, error.as_http_error_reason(method))


def from_strawberry(error: HTTPException, method: str) -> TransportError:
    """Our answer for an HTTP error strawberry raised (its own answer is text/plain)."""
    cause = error.__cause__
    if isinstance(cause, CannotGetOperationTypeError | InvalidOperationTypeError | MissingQueryError):
        return from_execution(cause, method)
    if isinstance(cause, JSONDecodeError) or error.reason == "Unable to parse request body as JSON":
        if method == "GET":
            return TransportError(
                400, BAD_REQUEST, "`variables`와 `extensions` 매개변수는 JSON 객체여야 합니다."
            )
        return TransportError(400, BAD_REQUEST, _REASONS["Unable to parse request body as JSON"])
    if error.status_code == 405:
        message = "/graphql은 GET과 POST만 받습니다."
        return TransportError(405, "METHOD_NOT_ALLOWED", message, headers={"Allow": "GET, POST"})
    if error.status_code == 404:
        return TransportError(404, "NOT_FOUND", "요청한 페이지가 없습니다.")
    if error.reason == "Unsupported content type":
        return unsupported_media_type()
    return TransportError(error.status_code, BAD_REQUEST, _REASONS.get(error.reason, error.reason))


def unsupported_media_type() -> TransportError:
    message = "Content-Type은 application/json이어야 합니다."
    return TransportError(415, "UNSUPPORTED_MEDIA_TYPE", message, headers={"Accept-Post": "application/json"})


async def read_limited(receive: Receive, declared_length: str | None, limit: int) -> bytes:
    """The whole body, refused (413) as soon as it is known to exceed `limit` bytes.

    A declared Content-Length is checked before anything is read; a chunked body is counted as
    it arrives and never held beyond `limit`. A client gone before the end is `ClientDisconnect`.
    """
    if declared_length is not None and declared_length.isdigit() and int(declared_length) > limit:
        raise too_large(limit)
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body: bytes = message.get("body", b"")  # the usual case: the whole body in one message
        if len(body) > limit:
            raise too_large(limit)
        return body
    buffer = bytearray()
    while True:
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        if message["type"] == "http.request":
            buffer += message.get("body", b"")
            if len(buffer) > limit:
                raise too_large(limit)
            if not message.get("more_body", False):
                return bytes(buffer)
        message = await receive()


def replaying(body: bytes, receive: Receive) -> Receive:
    """An ASGI `receive` that hands out `body` once, then defers to the real one (disconnects)."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
