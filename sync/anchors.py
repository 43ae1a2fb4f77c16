"""Row anchors: developer metadata the worker puts on every row it syncs.

An anchor is a random token under one metadata key, tied to its record by ``sync_row.anchor``.
Google keeps row metadata with its row through sorts, inserts and moves, and deletes it with
the row, so a write addressed by anchor (``values:batchUpdateByDataFilter``) reaches the
record's row wherever staff have moved it, and reaches nothing once the row is gone.

Placing an anchor is the one positional step: ``createDeveloperMetadata`` needs a row index.
The worker therefore only ever places an *unclaimed* anchor (a token no record owns yet) and
claims it in a later cycle, after reading back which row it landed on; a token that landed
on the wrong row is removed, never acted on (see ``sync.identity``).
"""

from __future__ import annotations

import secrets
from typing import Any

KEY = "eduhub.row"


def new_token() -> str:
    """A fresh anchor value; random, so a retried or repeated placement never collides."""
    return secrets.token_urlsafe(12)


def data_filter(token: str) -> dict[str, Any]:
    """The DataFilter selecting the row that carries ``token``."""
    return {"developerMetadataLookup": {"metadataKey": KEY, "metadataValue": token}}


def place(sheet_id: int, row: int, token: str) -> dict[str, Any]:
    """createDeveloperMetadata putting ``token`` on 1-based ``row``."""
    return {
        "createDeveloperMetadata": {
            "developerMetadata": {
                "metadataKey": KEY,
                "metadataValue": token,
                "location": {
                    "dimensionRange": {
                        "sheetId": sheet_id,
                        "dimension": "ROWS",
                        "startIndex": row - 1,
                        "endIndex": row,
                    }
                },
                "visibility": "DOCUMENT",
            }
        }
    }


def remove(token: str) -> dict[str, Any]:
    """deleteDeveloperMetadata of ``token`` wherever it is (nothing, if it is gone already)."""
    return {"deleteDeveloperMetadata": {"dataFilter": data_filter(token)}}
