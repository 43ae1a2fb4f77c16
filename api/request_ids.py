"""Every HTTP request and WebSocket gets an id: the caller's `X-Request-ID` when it is a sane
token, else a new one. It is bound for the request's logs (`logs.request_id`), carried by the
sheet webhook into the sync cycle it wakes, and echoed in the response so a client can quote it
(`api.edge` does both for every request).
"""

from __future__ import annotations

from starlette.types import Scope

from logs import request_id

HEADER_BYTES = request_id.HEADER.encode("latin-1")  # as ASGI carries header names: lower-case bytes


def of_request(scope: Scope) -> str:
    """The id of the request in `scope`: the caller's when sane (the first such header), else a fresh one."""
    # Straight from the ASGI header list: this runs for every request, cached answers included.
    for name, value in scope["headers"]:
        if name == HEADER_BYTES:
            return request_id.accepted(value.decode("latin-1"))
    return request_id.accepted(None)
