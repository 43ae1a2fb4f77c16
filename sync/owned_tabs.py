"""The worker-owned tabs (동기화 오류, 요약) are ours: one staff deleted is added back.

It is added inside the cycle's one ``batchUpdate``, ahead of the requests that fill and protect
it: the worker picks its sheetId (as Google lets a client do), so the same request can address
it. If that write is lost, the next read misses the tab again and adds it again.
"""

from __future__ import annotations

import random
from typing import Any

from sync.grid import TabGrid

ROWS, COLUMNS = 1000, 26  # a new tab's size in Google's own default


def placeholder(title: str) -> TabGrid:
    """The empty tab about to be added under a fresh sheetId (ids are int32, Google's are random too)."""
    return TabGrid(title, random.randint(1, 2**31 - 1), ROWS, COLUMNS)


def add_sheet(grid: TabGrid, rows: list[list[Any]]) -> dict[str, Any]:
    """The ``addSheet`` request for ``grid``, big enough for ``rows``."""
    size = {
        "rowCount": max(grid.row_count, len(rows)),
        "columnCount": max([grid.column_count, *(len(r) for r in rows)]),
    }
    return {
        "addSheet": {"properties": {"sheetId": grid.sheet_id, "title": grid.title, "gridProperties": size}}
    }
