"""Budget figures grouped by any mix of dimensions, summed by the database in one statement.

`compute_budget_summary` is a plain async function so the `budgetSummary` query and the
`budgetSummary` subscription share it::

    groups = await compute_budget_summary([BudgetDimension.FUNDER], BudgetFilter(fiscal_years=[2025]))
    groups[0].funder, groups[0].allocated, groups[0].execution_rate

One GROUP BY with SUMs runs in the database whatever the number of budget lines; Python only
shapes the resulting groups. Archived budget lines and lines of archived programs never count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from tortoise.functions import Count, Sum

from models.budget_line import BudgetLine
from models.enums import (
    FUNDER_LABELS,
    PARTNER_KIND_LABELS,
    PROGRAM_CATEGORY_LABELS,
    SCHOOL_LEVEL_LABELS,
    Funder,
    PartnerKind,
    ProgramCategory,
    SchoolLevel,
)
from schema import partner_kinds
from schema.enums import BudgetDimension
from schema.filters import BudgetFilter, budget_conditions
from schema.scalars import Won

CITY_WIDE_LABEL = "시 전체 (학교 없음)"
NO_PARTNER_LABEL = "없음"


@dataclass(frozen=True)
class _Columns:
    """The grouped columns (paths from BudgetLine) behind one dimension: its key, then its label."""

    key: str
    label: str | None = None


DIMENSION_COLUMNS: dict[BudgetDimension, _Columns] = {
    BudgetDimension.SCHOOL: _Columns("program__school__code", "program__school__name"),
    BudgetDimension.PROGRAM: _Columns("program__code", "program__name"),
    BudgetDimension.CATEGORY: _Columns("program__category"),
    BudgetDimension.FUNDER: _Columns("funder"),
    BudgetDimension.FISCAL_YEAR: _Columns("fiscal_year"),
    BudgetDimension.DISTRICT: _Columns("program__school__district"),
    BudgetDimension.LEVEL: _Columns("program__school__level"),
    # Not a column: the lines are summed per program, then spread over its partners' kinds.
    BudgetDimension.PARTNER_KIND: _Columns(partner_kinds.KEY),
}


@strawberry.type(description="One dimension's value for a budget group, with its Korean label.")
class BudgetGroupKey:
    dimension: BudgetDimension = strawberry.field(description="The dimension this key belongs to.")
    value: str | None = strawberry.field(
        description="The key as text: a code, enum name, year or district; null for city-wide programs "
        "(and, for PARTNER_KIND, for programs without a partner)."
    )
    label: str = strawberry.field(description="What people read (Korean), e.g. 하남시, 미사, 2025.")


@strawberry.type(description="Budget figures of one group; dimensions not grouped by are null.")
class BudgetGroup:
    keys: list[BudgetGroupKey] = strawberry.field(description="The group's keys, in `groupBy` order.")
    school_code: str | None = strawberry.field(default=None, description="School code (SCHOOL).")
    school_name: str | None = strawberry.field(default=None, description="School name (SCHOOL).")
    program_code: str | None = strawberry.field(default=None, description="Program code (PROGRAM).")
    program_name: str | None = strawberry.field(default=None, description="Program name (PROGRAM).")
    category: ProgramCategory | None = strawberry.field(default=None, description="Program type (CATEGORY).")
    funder: Funder | None = strawberry.field(default=None, description="Funder (FUNDER).")
    fiscal_year: int | None = strawberry.field(default=None, description="Fiscal year (FISCAL_YEAR).")
    district: str | None = strawberry.field(default=None, description="District (DISTRICT).")
    level: SchoolLevel | None = strawberry.field(default=None, description="School level (LEVEL).")
    partner_kind: PartnerKind | None = strawberry.field(
        default=None, description="Kind of the program's partners (PARTNER_KIND); null: no partner (없음)."
    )
    allocated: Won = strawberry.field(default=Won(0), description="Sum allocated (배정액), whole won.")
    executed: Won = strawberry.field(default=Won(0), description="Sum executed (집행액), whole won.")
    line_count: int = strawberry.field(default=0, description="How many budget lines the group sums.")
    execution_rate: float | None = strawberry.field(
        default=None, description="executed / allocated (0.0 to 1.0); null when nothing is allocated."
    )


async def compute_budget_summary(
    group_by: Sequence[BudgetDimension], filter: BudgetFilter | None = None
) -> list[BudgetGroup]:
    """Groups for `group_by` (no dimensions: one grand total) over the lines `filter` selects.

    Groups come ordered by their keys in `group_by` order, missing keys (city-wide) last.
    """
    dimensions = list(dict.fromkeys(group_by))  # a repeated dimension adds nothing
    by_kind = BudgetDimension.PARTNER_KIND in dimensions
    columns = [c for d in dimensions if d is not BudgetDimension.PARTNER_KIND for c in _columns(d)]
    grouped = [*columns, "program_id"] if by_kind else columns
    query = BudgetLine.filter(**budget_conditions(filter)).annotate(
        allocated_sum=Sum("allocated"), executed_sum=Sum("executed"), line_count=Count("id")
    )
    # Always an explicit GROUP BY: with joins and no grouping Tortoise would group by every line
    # column. Every counted line has archived_at NULL, so grouping by it alone gives the grand total.
    query = query.group_by(*(grouped or ["archived_at"]))
    rows: list[dict[str, Any]] = await query.values(*grouped, "allocated_sum", "executed_sum", "line_count")
    if by_kind:
        rows = await partner_kinds.spread(rows, columns)
    groups = [_group(dimensions, row) for row in rows if row["line_count"]]
    groups.sort(key=lambda group: [_sort_key(key.value, key.dimension) for key in group.keys])
    return groups


def _columns(dimension: BudgetDimension) -> list[str]:
    spec = DIMENSION_COLUMNS[dimension]
    return [spec.key] if spec.label is None else [spec.key, spec.label]


def _group(dimensions: list[BudgetDimension], row: dict[str, Any]) -> BudgetGroup:
    group = BudgetGroup(
        keys=[],
        # PostgreSQL returns SUM(bigint) as numeric (Decimal): whole won goes back to int.
        allocated=Won(int(row["allocated_sum"] or 0)),
        executed=Won(int(row["executed_sum"] or 0)),
        line_count=int(row["line_count"]),
    )
    group.execution_rate = group.executed / group.allocated if group.allocated else None
    for dimension in dimensions:
        group.keys.append(_apply(group, dimension, row))
    return group


def _apply(group: BudgetGroup, dimension: BudgetDimension, row: dict[str, Any]) -> BudgetGroupKey:
    """Fill the group's typed field for `dimension` and return its key with a Korean label."""
    spec = DIMENSION_COLUMNS[dimension]
    raw = row[spec.key]
    value = None if raw is None else str(raw)
    label: str
    if dimension is BudgetDimension.SCHOOL:
        group.school_code, group.school_name = raw, row[spec.label or ""]
        label = group.school_name or CITY_WIDE_LABEL
    elif dimension is BudgetDimension.PROGRAM:
        group.program_code, group.program_name = raw, row[spec.label or ""]
        label = group.program_name or ""
    elif dimension is BudgetDimension.CATEGORY:
        group.category = ProgramCategory(raw)
        label = PROGRAM_CATEGORY_LABELS[group.category]
    elif dimension is BudgetDimension.FUNDER:
        group.funder = Funder(raw)
        label = FUNDER_LABELS[group.funder]
    elif dimension is BudgetDimension.FISCAL_YEAR:
        group.fiscal_year = int(raw)
        label = f"{raw}년"
    elif dimension is BudgetDimension.DISTRICT:
        group.district = raw
        label = raw or CITY_WIDE_LABEL
    elif dimension is BudgetDimension.PARTNER_KIND:
        group.partner_kind = None if raw is None else PartnerKind(raw)
        label = NO_PARTNER_LABEL if group.partner_kind is None else PARTNER_KIND_LABELS[group.partner_kind]
    else:
        group.level = None if raw is None else SchoolLevel(raw)
        label = CITY_WIDE_LABEL if group.level is None else SCHOOL_LEVEL_LABELS[group.level]
    return BudgetGroupKey(dimension=dimension, value=value, label=label)


def _sort_key(value: str | None, dimension: BudgetDimension) -> tuple[bool, int, str]:
    # Years sort as numbers; absent keys (city-wide programs) sort last on both engines.
    if value is None:
        return (True, 0, "")
    if dimension is BudgetDimension.FISCAL_YEAR:
        return (False, int(value), "")
    return (False, 0, value)
