"""``addProtectedRange`` and ``deleteProtectedRange``."""

from __future__ import annotations

import copy
from typing import Any

from ..resource import public_range
from ..store import Spreadsheet, new_numeric_id
from . import targets


def add_protected_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    requested = payload.get("protectedRange") or {}
    sheet = targets.sheet(spreadsheet, (requested.get("range") or {}).get("sheetId"))
    entry: dict[str, Any] = {"protectedRangeId": int(requested.get("protectedRangeId") or new_numeric_id())}
    entry["range"] = copy.deepcopy(requested.get("range") or {})
    if requested.get("description"):
        entry["description"] = requested["description"]
    if requested.get("warningOnly"):
        entry["warningOnly"] = True
    # Read-only in the API: the caller made the protection, so the caller can always edit it.
    entry["requestingUserCanEdit"] = True
    # Google ignores editors on a warning-only range; empty lists are proto defaults and vanish.
    editors = {} if requested.get("warningOnly") else (requested.get("editors") or {})
    entry["editors"] = {key: copy.deepcopy(value) for key, value in editors.items() if value}
    sheet.protected_ranges.append(entry)
    reply = copy.deepcopy(entry)
    reply["range"] = public_range(reply["range"])
    return {"protectedRange": reply}


def delete_protected_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    wanted = int(payload.get("protectedRangeId", -1))
    for sheet in spreadsheet.sheets:
        sheet.protected_ranges = [p for p in sheet.protected_ranges if p["protectedRangeId"] != wanted]
