"""The header row frozen, so it stays in view while staff scroll (more frozen rows are left be)."""

from __future__ import annotations

from typing import Any

from sync.grid import TabGrid
from sync.guardrails.column_cells import Span
from sync.table import Table


def missing(table: Table, grid: TabGrid, span: Span) -> list[dict[str, Any]]:
    # Google refuses to freeze every row of a grid: a one-row tab is frozen once it has a second.
    if grid.frozen_rows >= 1 or span.rows < 2:
        return []
    return [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": table.sheet_id, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        }
    ]
