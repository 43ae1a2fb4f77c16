"""``addNamedRange`` and ``deleteNamedRange``."""

from __future__ import annotations

import copy
from typing import Any

from .. import a1
from ..resource import public_range
from ..store import Spreadsheet, new_numeric_id
from . import targets
from .request_error import RequestError


def add_named_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    named = copy.deepcopy(payload.get("namedRange") or {})
    name = named.get("name", "")
    if any(n["name"].lower() == name.lower() for n in spreadsheet.named_ranges):
        raise RequestError(f"Named range with name {name} already exists.")
    if not name or a1.parse_cells(name) is not None:
        raise RequestError(f"Invalid named range name: {name}")
    targets.sheet(spreadsheet, named.get("range", {}).get("sheetId"))
    entry = {
        "namedRangeId": str(named.get("namedRangeId") or new_numeric_id()),
        "name": name,
        "range": named["range"],
    }
    spreadsheet.named_ranges.append(entry)
    return {
        "namedRange": {
            **{k: v for k, v in entry.items() if k != "range"},
            "range": public_range(entry["range"]),
        }
    }


def delete_named_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    wanted = str(payload.get("namedRangeId"))
    if not any(n["namedRangeId"] == wanted for n in spreadsheet.named_ranges):
        raise RequestError(f"No named range with id: {wanted}")
    spreadsheet.named_ranges = [n for n in spreadsheet.named_ranges if n["namedRangeId"] != wanted]
