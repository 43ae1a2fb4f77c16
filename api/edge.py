"""The app's outermost layer: every response's request id and security headers, and a lane for
answers that are ready before routing.

Every HTTP request and WebSocket gets its id here (`api.request_ids`), bound for its logs, and
every HTTP response, Starlette's own 500 page included, leaves with the id and the security
headers (`api.security_headers`) through one send wrapper.

A `Shortcut` may answer an HTTP request before Starlette routes it: the `/graphql` app answers
a read the response cache holds (`api.graphql_app.EduhubGraphQL.shortcut`), so a cached answer
does not pay for the router, the exception middlewares and their send wrappers (about a tenth
of a hit: 8.3k -> 9.3k req/s for one school by code in bench/api.py). A shortcut that does
not answer returns False and the request goes on through Starlette as any other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import request_ids
from api.security_headers import SecurityHeaders
from logs import request_id

# (scope, receive, send) -> whether it answered the request; called for HTTP requests only.
Shortcut = Callable[[Scope, Receive, Send], Awaitable[bool]]


class Edge:
    """Wraps the whole app (outside Starlette's error middleware): ids, headers, the shortcut."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        shortcut: Shortcut | None = None,
        security_headers: SecurityHeaders | None = None,
    ) -> None:
        self.app = app
        self.shortcut = shortcut
        self.security_headers = security_headers or SecurityHeaders()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        rid = request_ids.of_request(scope)
        bound = request_id.bind(rid)
        try:
            if kind == "websocket":
                await self.app(scope, receive, send)
                return
            encoded_id = rid.encode("latin-1")  # a sane id is ASCII, a fresh one hex
            add_missing = self.security_headers.add_missing

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    # A fresh list: the sender's may be shared (a cached answer's headers).
                    headers = message["headers"] = list(message.get("headers", ()))
                    headers.append((request_ids.HEADER_BYTES, encoded_id))
                    add_missing(headers)
                await send(message)

            if self.shortcut is not None and await self.shortcut(scope, receive, send_with_headers):
                return
            await self.app(scope, receive, send_with_headers)
        finally:
            request_id.unbind(bound)
