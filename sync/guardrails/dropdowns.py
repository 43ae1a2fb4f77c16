"""Dropdowns on enum columns (학교급, 유형, 상태, 재원): the Korean labels, warning only.

``strict`` is false on purpose: a refused paste would lose what staff typed, while a warning
triangle tells them at once and the worker still reports the bad cell in 동기화 오류.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sync.cells import FieldKind
from sync.grid import TabGrid
from sync.guardrails.column_cells import Span, data_range, holds
from sync.mapping import TabMapping
from sync.table import Table


def rule(labels: list[str]) -> dict[str, Any]:
    """A ONE_OF_LIST DataValidationRule offering ``labels`` in a dropdown."""
    return {
        "condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": label} for label in labels]},
        "inputMessage": f"목록에서 고르세요: {', '.join(labels)}",
        "strict": False,
        "showCustomUi": True,
    }


def same_rule(found: dict[str, Any] | None, wanted: dict[str, Any]) -> bool:
    """Equal where it matters (condition and strictness); Google leaves ``strict: false`` out."""
    if not found:
        return False
    return bool(
        found.get("condition") == wanted["condition"] and bool(found.get("strict", False)) == wanted["strict"]
    )


def missing(tab: TabMapping, table: Table, grid: TabGrid, span: Span) -> list[dict[str, Any]]:
    out = []
    for column in tab.columns:
        index = table.columns.get(column.field)
        if column.kind is not FieldKind.ENUM or index is None:
            continue
        wanted = rule([label for _, label in tab.spec(column).labels])
        if not holds(grid.validations, span, index, partial(same_rule, wanted=wanted)):
            out.append({"setDataValidation": {"range": data_range(span, index), "rule": wanted}})
    return out
