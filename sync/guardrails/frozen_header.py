"""The header row frozen, so it stays in view while staff scroll (more frozen rows are left be)."""

from __future__ import annotations

from typing import Any

from sync.grid import TabGrid
from sync.table import Table


def missing(table: Table, grid: TabGrid) -> list[dict[str, Any]]:
    if grid.frozen_rows >= 1 or grid.row_count < 2:
        return []
    return [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": table.sheet_id, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        }
    ]
