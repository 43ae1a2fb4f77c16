"""``sortRange``: rows reordered by one or more columns in Sheets' type order."""

from __future__ import annotations

from typing import Any

from .. import grid, structure
from ..store import Spreadsheet
from . import targets


def _sort_key(value: Any) -> tuple[int, Any]:
    # Sheets orders numbers before text before booleans, and blanks always last.
    if value is None:
        return (3, 0)
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).lower())


def sort_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = targets.area(spreadsheet, payload.get("range") or {})
    sheet = area.sheet
    evaluator = grid.Evaluator(spreadsheet)
    rows = [
        {c: sheet.cells.pop((r, c)) for c in range(area.start_col, area.end_col) if (r, c) in sheet.cells}
        for r in range(area.start_row, area.end_row)
    ]
    keyed = []
    for offset, row in enumerate(rows):
        keys = []
        for spec in payload.get("sortSpecs") or []:
            column = int(spec.get("dimensionIndex", 0))
            cell = row.get(column)
            keys.append(evaluator.of(sheet, cell, area.start_row + offset, column) if cell else None)
        keyed.append((keys, offset, row))
    for index, spec in reversed(list(enumerate(payload.get("sortSpecs") or []))):
        descending = spec.get("sortOrder") == "DESCENDING"
        present = [k for k in keyed if k[0][index] is not None]
        blanks = [k for k in keyed if k[0][index] is None]
        present.sort(key=lambda item, i=index: _sort_key(item[0][i]), reverse=descending)  # type: ignore[misc]
        keyed = present + blanks
    for offset, (_, _, row) in enumerate(keyed):
        for column, cell in row.items():
            sheet.cells[(area.start_row + offset, column)] = cell
    moved = {area.start_row + old: area.start_row + new for new, (_, old, _) in enumerate(keyed)}
    structure.follow_sorted_rows(spreadsheet, sheet, moved)
