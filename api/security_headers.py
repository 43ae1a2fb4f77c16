"""Security headers on every HTTP response: CSP without inline script, nosniff, referrer, framing.

Added by `api.edge` at `http.response.start` only, so streaming bodies and WebSockets pass
through untouched. A header a route already set wins, so a page that needs a different policy
(GraphiQL's inline styles) sets its own and keeps the rest.
"""

from __future__ import annotations

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
    """`DEFAULT_HEADERS` (or others) added to a response's headers where it does not set them itself."""

    def __init__(self, headers: dict[str, str] | None = None) -> None:
        self.headers = DEFAULT_HEADERS if headers is None else headers
        # As ASGI carries them (lower-case latin-1 bytes), encoded once: every response pays for
        # this, cached answers included.
        self._encoded = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in self.headers.items()
        ]

    def add_missing(self, headers: list[tuple[bytes, bytes]]) -> None:
        """Append, in place, each header `headers` does not have yet (one pass over what is there)."""
        present = {name.lower() for name, _ in headers}
        headers.extend(pair for pair in self._encoded if pair[0] not in present)
