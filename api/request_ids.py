"""Every HTTP request and WebSocket gets an id: the caller's `X-Request-ID` when it is a sane
token, else a new one. It is bound for the request's logs (`logs.request_id`), carried by the
sheet webhook into the sync cycle it wakes, and echoed in the response so a client can quote it.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from logs import request_id


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = request_id.accepted(Headers(scope=scope).get(request_id.HEADER))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[request_id.HEADER] = rid
            await send(message)

        with request_id.bound(rid):
            await self.app(scope, receive, send_with_id)
