"""The request headers `/graphql` decides on, picked from the ASGI scope in one pass.

Every `/graphql` request reads these before anything else, cached answers included, so they are
read straight from the scope's header list instead of through a `Headers` mapping (one
case-folding scan per header asked). As Starlette's `Headers.get`, the first of a repeated
header counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope


@dataclass(frozen=True, slots=True)
class RequestHead:
    method: str
    accept: str | None
    authorization: str | None
    content_type: str | None
    content_length: str | None

    @classmethod
    def of(cls, scope: Scope) -> RequestHead:
        found: dict[bytes, str] = {}
        for name, value in scope["headers"]:  # ASGI: names are lower-case bytes
            if name in _WANTED and name not in found:
                found[name] = value.decode("latin-1")
        return cls(
            scope["method"],
            found.get(b"accept"),
            found.get(b"authorization"),
            found.get(b"content-type"),
            found.get(b"content-length"),
        )


_WANTED = frozenset({b"accept", b"authorization", b"content-type", b"content-length"})
