"""The channels this application uses and the JSON shape of their messages.

- `CHANGES`: one message per committed write batch, published by `api.live.outbox_bridge`
  from a commit listener; subscriptions re-derive figures from it.
- `SYNC_WAKE`: the sheet webhook asks a worker (in any process) to start a cycle now.
- `SYNC_STATUS`: the worker says a cycle finished; listeners re-read freshness from the
  database (`SyncCursor`, issues, conflicts), so the message itself carries only a hint.
- `TOKEN_REVOKED`: `{"token": id}` after a revoke committed; every process closes that token's
  open WebSockets (`api.live.token_watch`).
"""

from __future__ import annotations

from typing import Any

import orjson

CHANGES = "eduhub:changes"
SYNC_WAKE = "eduhub:sync-wake"
SYNC_STATUS = "eduhub:sync-status"
TOKEN_REVOKED = "eduhub:token-revoked"  # noqa: S105 (a channel name, not a secret)


def encode(payload: dict[str, Any]) -> bytes:
    return orjson.dumps(payload)


def decode(message: bytes) -> dict[str, Any]:
    value = orjson.loads(message)
    if not isinstance(value, dict):
        raise ValueError("pub/sub message is not a JSON object")
    return value
