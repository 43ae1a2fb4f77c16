"""``setBasicFilter`` and ``clearBasicFilter``."""

from __future__ import annotations

import copy
from typing import Any

from ..resource import public_range
from ..store import Spreadsheet
from . import targets


def set_basic_filter(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    basic = copy.deepcopy(payload.get("filter") or {})
    sheet = targets.sheet(spreadsheet, (basic.get("range") or {}).get("sheetId"))
    basic["range"] = public_range(basic.get("range") or {})
    sheet.basic_filter = basic


def clear_basic_filter(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    targets.sheet(spreadsheet, payload.get("sheetId")).basic_filter = None
