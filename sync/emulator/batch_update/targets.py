"""Resolving the sheet, cell area or row/column span a request refers to."""

from __future__ import annotations

from typing import Any

from .. import grid
from ..store import Sheet, Spreadsheet
from .request_error import RequestError


def sheet(spreadsheet: Spreadsheet, sheet_id: Any) -> Sheet:
    # A missing sheetId means the first sheet's id, 0, as in Google's protos.
    found = spreadsheet.sheet_by_id(int(sheet_id or 0))
    if found is None:
        raise RequestError(f"No grid with id: {sheet_id or 0}")
    return found


def area(spreadsheet: Spreadsheet, grid_range: dict[str, Any]) -> grid.Area:
    target = sheet(spreadsheet, grid_range.get("sheetId"))
    return grid.clamp(spreadsheet, target, grid.from_grid_range(grid_range))


def dimension_range(spreadsheet: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, str, int, int]:
    """The sheet, ``ROWS``/``COLUMNS``, and start/end of a DimensionRange; open ends run to the edge."""
    target = sheet(spreadsheet, rng.get("sheetId"))
    dimension = rng.get("dimension", "ROWS")
    size = target.row_count if dimension == "ROWS" else target.column_count
    start = int(rng.get("startIndex", 0))
    end = int(rng.get("endIndex", size))
    if start < 0 or end <= start:
        raise RequestError("The range must have a positive length.")
    return target, dimension, start, end
