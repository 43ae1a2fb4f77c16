"""What programs achieved, grouped like `budgetSummary`: sessions, participants, hours, won per participant.

`compute_activity_summary` is shared by the `activitySummary` query and subscription::

    groups = await compute_activity_summary([ActivityDimension.CATEGORY], None)
    groups[0].sessions, groups[0].participants, groups[0].won_per_participant

One statement whatever the number of sessions: sessions summed per program (and partner kind)
in a `WITH`, then joined to their program, its school and the program's executed sum and
grouped by the dimensions (every one but PARTNER_KIND is an attribute of the program); a
program's executed counts once in each group it falls in. Archived sessions, sessions of
archived programs and archived budget lines never count.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Any

import strawberry
from tortoise.functions import Count, Sum

from models.budget_line import BudgetLine
from models.enums import PartnerKind, ProgramCategory, SchoolLevel
from models.program import Program
from models.program_session import LEVEL_FIELDS, ProgramSession
from models.school import School
from schema.enums import ActivityDimension as D
from schema.grouped_sql import Row, Statement, built, fetch, frozen, grouped, quoted, statement, summed
from schema.scalars import Won
from schema.session_filters import ProgramSessionFilter, summed_conditions
from schema.summary_groups import ACTIVITY_PLACES, GroupShape, unique


@strawberry.type(description="One dimension's value for an activity group, with its Korean label.")
class ActivityGroupKey:
    dimension: D = strawberry.field(description="The dimension this key belongs to.")
    value: str | None = strawberry.field(
        description="The key as text: a code, enum name, year or district; null for city-wide programs "
        "(and, for PARTNER_KIND, for sessions without a partner)."
    )
    label: str = strawberry.field(description="What people read (Korean), e.g. 대학, 미사, 2025년.")


@strawberry.type(description="What the sessions of one group achieved; dimensions not grouped by are null.")
class ActivityGroup:
    keys: list[ActivityGroupKey] = strawberry.field(description="The group's keys, in `groupBy` order.")
    school_code: str | None = strawberry.field(default=None, description="School code (SCHOOL).")
    school_name: str | None = strawberry.field(default=None, description="School name (SCHOOL).")
    program_code: str | None = strawberry.field(default=None, description="Program code (PROGRAM).")
    program_name: str | None = strawberry.field(default=None, description="Program name (PROGRAM).")
    category: ProgramCategory | None = strawberry.field(default=None, description="Program type (CATEGORY).")
    fiscal_year: int | None = strawberry.field(
        default=None, description="Program's fiscal year (FISCAL_YEAR)."
    )
    district: str | None = strawberry.field(default=None, description="District (DISTRICT).")
    level: SchoolLevel | None = strawberry.field(default=None, description="School level (LEVEL).")
    partner_kind: PartnerKind | None = strawberry.field(
        default=None, description="Kind of the hosting partner (PARTNER_KIND); null: no partner (없음)."
    )
    sessions: int = strawberry.field(default=0, description="How many sessions were held (운영 횟수).")
    participants: int = strawberry.field(default=0, description="Participants of every level (참여 인원).")
    elementary: int = strawberry.field(default=0, description="Participants from elementary schools (초등).")
    middle: int = strawberry.field(default=0, description="Participants from middle schools (중등).")
    high: int = strawberry.field(default=0, description="Participants from high schools (고등).")
    special: int = strawberry.field(default=0, description="Participants from special schools (특수).")
    hours: Decimal = strawberry.field(
        default=Decimal("0.0"), description="Hours held, exact to a tenth (운영 시간)."
    )
    executed: Won = strawberry.field(
        default=Won(0),
        description="Executed (집행액) of the group's programs, whole won, over their live budget lines; "
        "a program counts once in each group it falls in (under PARTNER_KIND in each kind it hosted).",
    )
    won_per_participant: Won | None = strawberry.field(
        default=None,
        description="executed / participants in whole won, rounded half up (1인당 집행액); "
        "null with no participant.",
    )


# Where each dimension's key (and name) comes from in the statement: the program, its school,
# or the inner sessions' partner kind.
DIMENSION_SQL: dict[D, tuple[str, str | None]] = {
    D.SCHOOL: ("schools.code", "schools.name"),
    D.PROGRAM: ("programs.code", "programs.name"),
    D.CATEGORY: ("programs.category", None),
    D.FISCAL_YEAR: ("programs.fiscal_year", None),
    D.DISTRICT: ("schools.district", None),
    D.LEVEL: ("schools.level", None),
    D.PARTNER_KIND: ('inner_rows."partner__kind"', None),
}
COUNTED = ("session_count", *(f"{name}_sum" for name in LEVEL_FIELDS))  # whole numbers


async def activity_group_rows(
    group_by: Sequence[D],
    filter: ProgramSessionFilter | None = None,
    fields: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    """Groups for `group_by` (none: one grand total) over the sessions `filter` selects, as dicts
    of `ActivityGroup`'s field names ("keys": dicts of `ActivityGroupKey`'s), in one statement.
    `fields` (what an answer reads) is not used: every figure comes from the same few sums."""
    dimensions = [D(d) for d in unique(group_by)]
    conditions = summed_conditions(filter)  # refuses a text over its column, every time
    key = ("activity", tuple(dimensions), frozen(conditions))
    sql, params = built(ProgramSession, key, lambda: _statement(dimensions, conditions))
    rows = await fetch(ProgramSession, sql, params)
    key_columns = [f"key_{index}" for index in range(len(dimensions))]
    name_columns = [f"name_{i}" if DIMENSION_SQL[d][1] else None for i, d in enumerate(dimensions)]
    shape = GroupShape(dimensions, ACTIVITY_PLACES, key_columns, name_columns)
    return shape.sort([_group(shape, row) for row in rows if row["session_count"]])


def _statement(dimensions: list[D], conditions: dict[str, Any]) -> Statement:
    inner = ["program_id", "partner__kind"] if D.PARTNER_KIND in dimensions else ["program_id"]
    sums = {f"{name}_sum": Sum(name) for name in (*LEVEL_FIELDS, "hours")}
    query = ProgramSession.filter(**conditions).annotate(session_count=Count("id"), **sums)
    sql, params = statement(query.group_by(*inner).values(*inner, "session_count", *sums))
    keys: list[tuple[str, str]] = []
    for index, dimension in enumerate(dimensions):
        key, name = DIMENSION_SQL[dimension]
        keys += [(key, f"key_{index}")] + ([(name, f"name_{index}")] if name else [])
    # The sessions come summed per program (and partner kind), so each program is one inner row
    # per group it falls in: its executed, joined to that row, counts once in each such group.
    figures = [
        *summed(COUNTED),
        ('SUM(inner_rows."hours_sum")', "hours_sum"),  # exact tenths: numeric, never cast
        ("CAST(SUM(COALESCE(spent.executed_sum, 0)) AS BIGINT)", "executed_sum"),
    ]
    return f"WITH inner_rows AS ({sql}) {grouped(keys, figures, _source())}", params


async def compute_activity_summary(
    group_by: Sequence[D], filter: ProgramSessionFilter | None = None
) -> list[ActivityGroup]:
    """`activity_group_rows` as `ActivityGroup` objects (the executor's and subscriptions' shape)."""
    return [
        ActivityGroup(**{**row, "keys": [ActivityGroupKey(**key) for key in row["keys"]]})
        for row in await activity_group_rows(group_by, filter)
    ]


@cache
def _source() -> str:
    """The inner sessions joined to their program, its school and the program's executed sum."""
    programs, schools = quoted(Program._meta.db_table), quoted(School._meta.db_table)
    lines = quoted(BudgetLine._meta.db_table)
    spent = (
        f"SELECT program_id, SUM(executed) AS executed_sum FROM {lines}"  # noqa: S608
        " WHERE archived_at IS NULL AND program_id IN (SELECT program_id FROM inner_rows) GROUP BY program_id"
    )
    return (
        f"inner_rows JOIN {programs} programs ON programs.id = inner_rows.program_id"
        f" LEFT JOIN {schools} schools ON schools.id = programs.school_id"
        f" LEFT JOIN ({spent}) spent ON spent.program_id = inner_rows.program_id"
    )


def _group(shape: GroupShape, row: Row) -> dict[str, Any]:
    counts = {level: int(row[f"{level}_sum"] or 0) for level in LEVEL_FIELDS}
    participants = sum(counts.values())
    # PostgreSQL sums bigint as numeric (Decimal); the amounts are whole won.
    spent = int(row["executed_sum"] or 0)
    figures: dict[str, Any] = {
        "sessions": int(row["session_count"]),
        "participants": participants,
        "hours": Decimal(row["hours_sum"] or 0).quantize(Decimal("0.1")),
        "executed": Won(spent),
        # Whole won, half up, in integers: no float ever touches the amount.
        "won_per_participant": Won((2 * spent + participants) // (2 * participants))
        if participants
        else None,
        **counts,
    }
    group = shape.group(row)
    group.update(figures)
    return group
