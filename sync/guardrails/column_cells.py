"""Which cells of a column a guardrail must cover, and whether all of them hold it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sync.grid import TabGrid
from sync.table import Table

Check = Callable[[dict[str, Any] | None], bool]


def data_range(table: Table, column: int) -> dict[str, Any]:
    """The column below the header, to the bottom of the grid (open end: rows added later count)."""
    return {
        "sheetId": table.sheet_id,
        "startRowIndex": 1,
        "startColumnIndex": column,
        "endColumnIndex": column + 1,
    }


def rows_to_check(table: Table, grid: TabGrid) -> range:
    """The data rows as read (1-based), at least row 2 when the grid has one: a rule set on an
    empty tab shows on its empty cells, so an empty tab is checked too."""
    return range(2, min(max(table.data_rows, 2), grid.row_count) + 1)


def holds(
    found: dict[tuple[int, int], dict[str, Any]], table: Table, grid: TabGrid, column: int, ok: Check
) -> bool:
    """Every data row's cell in ``column`` passes ``ok`` (given its rule or format, None if none)."""
    return all(ok(found.get((row, column))) for row in rows_to_check(table, grid))
