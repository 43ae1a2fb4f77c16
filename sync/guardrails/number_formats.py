"""A won number format (``#,##0``) on money columns: 1234567 shows as 1,234,567.

Only the display changes; the cell still holds the plain number the worker reads and writes.
Columns in 천원 or 백만원 are left unformatted (see ``missing``).
"""

from __future__ import annotations

from typing import Any

from sync.cells import FieldKind
from sync.grid import TabGrid
from sync.guardrails.column_cells import Span, data_range, holds
from sync.mapping import TabMapping
from sync.table import Table

WON_FORMAT = {"type": "NUMBER", "pattern": "#,##0"}


def _is_won(found: dict[str, Any] | None) -> bool:
    if not found:
        return False
    return bool(found.get("type") == WON_FORMAT["type"] and found.get("pattern") == WON_FORMAT["pattern"])


def missing(tab: TabMapping, table: Table, grid: TabGrid, span: Span) -> list[dict[str, Any]]:
    out = []
    for column in tab.columns:
        index = table.columns.get(column.field)
        # Whole-won columns only: in a 천원 column a value may have decimals that #,##0 would round away.
        if column.kind is not FieldKind.WON or column.unit != "원" or index is None:
            continue
        if not holds(grid.number_formats, span, index, _is_won):
            out.append(
                {
                    "repeatCell": {
                        "range": data_range(span, index),
                        "cell": {"userEnteredFormat": {"numberFormat": dict(WON_FORMAT)}},
                        "fields": "userEnteredFormat.numberFormat",
                    }
                }
            )
    return out
