"""Code columns checked against the tab that defines the codes, warning only.

학교코드 on 사업 must be a code in 학교's 학교코드 column, 사업코드 on 예산 one in 사업's
사업코드 column: a ONE_OF_RANGE rule pointing at that column flags a typo as it is typed.
Warning only, like the dropdowns: the worker still holds back a row naming an unknown code.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from models.enums import RecordType
from sync import a1
from sync.grid import TabGrid
from sync.guardrails.column_cells import Span, data_range, holds
from sync.table import Table
from sync.work import TabWork

# Which record family a reference field's code names.
REFERENCES = {"school_code": RecordType.SCHOOL, "program_code": RecordType.PROGRAM}


def rule(title: str, column: int, label: str) -> dict[str, Any]:
    """A ONE_OF_RANGE rule over the defining tab's code column below its header."""
    letter = a1.column_letter(column)
    return {
        "condition": {
            "type": "ONE_OF_RANGE",
            "values": [{"userEnteredValue": f"={a1.quote(title)}!{letter}2:{letter}"}],
        },
        "inputMessage": f"{title} 탭에 있는 {label}를 넣으세요.",
        "strict": False,
        "showCustomUi": True,
    }


def same_range_rule(found: dict[str, Any] | None, wanted: dict[str, Any]) -> bool:
    """The same ONE_OF_RANGE rule, however the formula quotes the tab: Google rewrites the reference
    when the tab is renamed and quotes the new title only when it must (``=학교!B2:B``)."""
    if not found or bool(found.get("strict", False)) != wanted["strict"]:
        return False
    condition = found.get("condition") or {}
    if condition.get("type") != wanted["condition"]["type"]:
        return False
    return _ranges(condition) == _ranges(wanted["condition"])


def _ranges(condition: dict[str, Any]) -> list[tuple[str, str] | None]:
    entered = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])]
    return [a1.split(text.removeprefix("=")) for text in entered]


def _code_column(works: list[TabWork], model: RecordType) -> tuple[str, int] | None:
    """The title and code column of the tab mapping ``model``, as read this cycle."""
    for work in works:
        column = work.table.columns.get("code")
        if work.tab.model is model and column is not None and work.grid is not None:
            return work.grid.title, column
    return None


def missing(
    works: list[TabWork], work: TabWork, table: Table, grid: TabGrid, span: Span
) -> list[dict[str, Any]]:
    out = []
    for column in work.tab.columns:
        index = table.columns.get(column.field)
        target = REFERENCES.get(column.field)
        source = _code_column(works, target) if target is not None else None
        if index is None or source is None:
            continue
        wanted = rule(source[0], source[1], column.header)
        if not holds(grid.validations, span, index, partial(same_range_rule, wanted=wanted)):
            out.append({"setDataValidation": {"range": data_range(span, index), "rule": wanted}})
    return out
