"""Security headers on every HTTP response: CSP without inline script, nosniff, referrer, framing.

A pure ASGI middleware (not `BaseHTTPMiddleware`): it only touches `http.response.start`, so
streaming bodies and WebSockets pass through untouched. A header a route already set wins, so a
page that needs a different policy (GraphiQL's inline styles) sets its own and keeps the rest.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Everything the app serves comes from the app itself: no CDN, no inline script, no framing.
# `ws:`/`wss:` because CSP 2 browsers do not count the page's own WebSocket as 'self'.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

DEFAULT_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Dashboard and API links carry nothing a third party should see (tokens never go in URLs).
    "Referrer-Policy": "no-referrer",
    # For browsers that predate CSP's frame-ancestors.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds `DEFAULT_HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = DEFAULT_HEADERS if headers is None else headers
        # As ASGI carries them (lower-case latin-1 bytes), encoded once: every response pays for
        # this middleware, cached answers included.
        self._encoded = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in self.headers.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # In place, as MutableHeaders(scope=message) would: one pass over what is there.
                headers = message["headers"] = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in self._encoded if pair[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)
