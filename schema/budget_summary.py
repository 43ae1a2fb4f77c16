"""Budget figures grouped by any mix of dimensions, summed by the database in one statement.

`compute_budget_summary` is a plain async function so the `budgetSummary` query and the
`budgetSummary` subscription share it::

    groups = await compute_budget_summary([BudgetDimension.FUNDER], BudgetFilter(fiscal_years=[2025]))
    groups[0].funder, groups[0].allocated, groups[0].execution_rate

One GROUP BY with SUMs runs in the database whatever the number of budget lines; Python only
shapes the resulting groups. Archived budget lines and lines of archived programs never count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from tortoise.expressions import Subquery
from tortoise.functions import Count

from models import budget_figures
from models.budget_line import BudgetLine
from models.enums import Funder, PartnerKind, ProgramCategory, SchoolLevel
from models.program import Program
from schema import partner_kinds
from schema.enums import BudgetDimension
from schema.filters import BudgetFilter, budget_conditions
from schema.grouped_sql import (
    Row,
    Statement,
    WholeSum,
    built,
    fetch,
    frozen,
    grouped,
    quoted,
    statement,
    summed,
)
from schema.scalars import Won
from schema.summary_groups import BUDGET_PLACES, CITY_WIDE_LABEL, GroupShape, unique

__all__ = [
    "CITY_WIDE_LABEL",
    "SUMMED",
    "BudgetGroup",
    "BudgetGroupKey",
    "budget_group_rows",
    "compute_budget_summary",
]

# The budget line's money columns each group sums (whole won): a column listed here is summed
# as `<name>_sum` and lands in the group field of the same name (declare it on BudgetGroup).
SUMMED = ("allocated", "executed", "disbursed", "carried_in", "carried_out", "unused")


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
    disbursed: Won = strawberry.field(default=Won(0), description="Sum disbursed (교부액), whole won.")
    carried_in: Won = strawberry.field(
        default=Won(0), description="Sum carried in from the year before (전년도 이월액), whole won."
    )
    carried_out: Won = strawberry.field(
        default=Won(0), description="Sum carried over into the next year (이월액), whole won."
    )
    unused: Won = strawberry.field(
        default=Won(0), description="Sum left unused at settling (불용액), whole won."
    )
    budget_current: Won = strawberry.field(
        default=Won(0), description="Budget current (예산현액): allocated + carriedIn, whole won."
    )
    line_count: int = strawberry.field(default=0, description="How many budget lines the group sums.")
    execution_rate: float | None = strawberry.field(
        default=None,
        description="Execution rate (집행률) = executed / budgetCurrent (0.0 to 1.0); null when the "
        "budget current is 0. Before carry-over (carriedIn 0) this is executed / allocated.",
    )


# The sums each derived group field is computed from; every other money field is its own sum.
DERIVED_FROM = {
    "budget_current": ("allocated", "carried_in"),
    "execution_rate": ("executed", "allocated", "carried_in"),
}


def sums_for(fields: frozenset[str] | None) -> tuple[str, ...]:
    """The money columns to sum for an answer that reads `fields` (None: every group field), in
    `SUMMED` order: each SUM of a 64-bit column costs the database, and an answer rarely reads all."""
    if fields is None:
        return SUMMED
    wanted = {name for field in fields for name in DERIVED_FROM.get(field, (field,))}
    return tuple(name for name in SUMMED if name in wanted)


async def budget_group_rows(
    group_by: Sequence[BudgetDimension],
    filter: BudgetFilter | None = None,
    fields: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    """Groups for `group_by` (no dimensions: one grand total) over the lines `filter` selects, as
    dicts of `BudgetGroup`'s field names ("keys": dicts of `BudgetGroupKey`'s), in one statement.
    Given `fields` (the group fields an answer reads), only the figures those need are computed:
    the others are left out of the dicts, never filled with a made-up zero.

    Groups come ordered by their keys in `group_by` order, missing keys (city-wide) last.
    """
    dimensions = unique(group_by)
    conditions = budget_conditions(filter)  # refuses a text over its column, every time
    summed_columns = sums_for(fields)
    counted = _counted(dimensions, fields)
    key = ("budget", tuple(dimensions), frozen(conditions), summed_columns, counted)
    sql, params = built(BudgetLine, key, lambda: _statement(dimensions, conditions, summed_columns, counted))
    rows = await fetch(BudgetLine, sql, params)
    key_columns = [DIMENSION_COLUMNS[d].key for d in dimensions]
    name_columns = [DIMENSION_COLUMNS[d].label for d in dimensions]
    shape = GroupShape(dimensions, BUDGET_PLACES, key_columns, name_columns)
    group = _grouper(shape, summed_columns, counted)
    return shape.sort([group(row) for row in rows if not counted or row["line_count"]])


def _counted(dimensions: list[BudgetDimension], fields: frozenset[str] | None) -> bool:
    """Whether the statement counts lines: when the answer reads the count, and wherever a group
    may hold none (the grand total of no lines is still a row; groups by partner kind are
    regrouped from inner rows). A GROUP BY of budget_line's own rows never makes an empty group,
    so a summary by funder that reads only money counts nothing (a COUNT costs the database)."""
    if fields is None or "line_count" in fields:
        return True
    return not dimensions or BudgetDimension.PARTNER_KIND in dimensions


def _statement(
    dimensions: list[BudgetDimension],
    conditions: dict[str, Any],
    summed_columns: tuple[str, ...],
    counted: bool,
) -> Statement:
    by_kind = BudgetDimension.PARTNER_KIND in dimensions
    columns = [c for d in dimensions if d is not BudgetDimension.PARTNER_KIND for c in _columns(d)]
    inner = [*columns, "program_id"] if by_kind else columns
    sums: dict[str, Any] = {f"{name}_sum": WholeSum(name) for name in summed_columns}
    # Keys alone still take one aggregate: without any, Tortoise selects the id as well, which
    # the GROUP BY refuses (PostgreSQL: "budget_line.id must appear in the GROUP BY clause").
    if counted or not sums:
        sums["line_count"] = Count("id")
    query = BudgetLine.filter(**_live_program_as_subquery(conditions)).annotate(**sums)
    # Always an explicit GROUP BY: with joins and no grouping Tortoise would group by every line
    # column. Every counted line has archived_at NULL, so grouping by it alone gives the grand total.
    sql, params = statement(query.group_by(*(inner or ["archived_at"])).values(*inner, *sums))
    if by_kind:
        keys = [(f"inner_rows.{quoted(c)}", c) for c in columns] + [("kinds.kind", partner_kinds.KEY)]
        sql = f"WITH inner_rows AS ({sql}) {grouped(keys, summed(list(sums)), partner_kinds.joined())}"
    return sql, params


def _live_program_as_subquery(conditions: dict[str, Any]) -> dict[str, Any]:
    """`conditions` with "its program is not archived" as `program_id NOT IN (archived programs)`
    instead of a join: archived programs are few, and a summary that groups by no program column
    then reads budget_line alone (PostgreSQL: 0.9 ms against 1.4 for 2,500 lines by funder)."""
    live = dict(conditions)
    if live.pop("program__archived_at__isnull", None) is True:
        archived = Program.filter(archived_at__isnull=False).values("id")
        live["program_id__not_in"] = Subquery(archived)
    return live


async def compute_budget_summary(
    group_by: Sequence[BudgetDimension], filter: BudgetFilter | None = None
) -> list[BudgetGroup]:
    """`budget_group_rows` as `BudgetGroup` objects (the executor's and subscriptions' shape)."""
    return [budget_group(row) for row in await budget_group_rows(group_by, filter)]


def budget_group(row: dict[str, Any]) -> BudgetGroup:
    return BudgetGroup(**{**row, "keys": [BudgetGroupKey(**key) for key in row["keys"]]})


def _columns(dimension: BudgetDimension) -> list[str]:
    spec = DIMENSION_COLUMNS[dimension]
    return [spec.key] if spec.label is None else [spec.key, spec.label]


def _grouper(
    shape: GroupShape, summed_columns: tuple[str, ...], counted: bool
) -> Callable[[Row], dict[str, Any]]:
    """Row -> group for one request: the column names are looked up once, not per row (for 500
    programs the per-row lookups cost a fifth of the summary)."""
    sums = [(name, f"{name}_sum") for name in summed_columns]
    current = set(DERIVED_FROM["budget_current"]) <= set(summed_columns)
    rated = set(DERIVED_FROM["execution_rate"]) <= set(summed_columns)
    budget_current, execution_rate = budget_figures.budget_current, budget_figures.execution_rate

    def group(row: Row) -> dict[str, Any]:
        found = shape.group(row)
        # The sums come back as 64-bit integers (`WholeSum`); an empty SUM is NULL.
        for name, column in sums:
            found[name] = row[column] or 0
        if counted:
            found["line_count"] = row["line_count"]
        if current:
            allocated, carried_in = found["allocated"], found["carried_in"]
            found["budget_current"] = budget_current(allocated, carried_in)
            if rated:
                found["execution_rate"] = execution_rate(found["executed"], allocated, carried_in)
        return found

    return group
