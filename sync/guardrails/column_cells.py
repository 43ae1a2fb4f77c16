"""Which cells of a column a guardrail must cover, and whether all of them hold it.

A rule is set on the data rows and a margin of rows below them, not on the whole column: every
covered cell comes back in the cycle's one read (an empty cell shows its rule too), so a rule
down to row 1,000 of a 10-row tab made that read many times larger. Rows the worker appends
inherit the rule; when staff's rows reach into the second half of the margin it is extended.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sync.grid import TabGrid
from sync.table import Table

Check = Callable[[dict[str, Any] | None], bool]
MARGIN = 50  # rows below the last data row that get the guardrail, for the rows staff type next


def _last_data_row(table: Table) -> int:
    return max(table.data_rows, 1)


def data_range(table: Table, grid: TabGrid, column: int) -> dict[str, Any]:
    """The column below the header, down to the margin below the data (within the grid)."""
    end = min(grid.row_count, _last_data_row(table) + MARGIN)
    return {
        "sheetId": table.sheet_id,
        "startRowIndex": 1,
        "endRowIndex": end,
        "startColumnIndex": column,
        "endColumnIndex": column + 1,
    }


def rows_to_check(table: Table, grid: TabGrid) -> list[int]:
    """The data rows as read (1-based), at least row 2, and the row halfway into the margin (so
    the margin grows with the data); only rows the grid has."""
    last = _last_data_row(table)
    rows = [*range(2, max(last, 2) + 1), last + MARGIN // 2]
    return [row for row in rows if row <= grid.row_count]


def holds(
    found: dict[tuple[int, int], dict[str, Any]], table: Table, grid: TabGrid, column: int, ok: Check
) -> bool:
    """Every checked cell in ``column`` passes ``ok`` (given its rule or format, None if none)."""
    return all(ok(found.get((row, column))) for row in rows_to_check(table, grid))
