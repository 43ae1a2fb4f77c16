"""What programs achieved, grouped like `budgetSummary`: sessions, participants, hours, won per participant.

`compute_activity_summary` is shared by the `activitySummary` query and subscription::

    groups = await compute_activity_summary([BudgetDimension.CATEGORY], None)
    groups[0].sessions, groups[0].participants, groups[0].won_per_participant

Three statements whatever the number of sessions: sessions summed per program (and partner
kind), the programs' attributes, and the programs' executed sums. Every dimension but
PARTNER_KIND is an attribute of the program, so Python adds programs up into groups; a
program's executed counts once in each group it falls in. Archived sessions, sessions of
archived programs and archived budget lines never count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import strawberry
from tortoise.functions import Count, Sum

from models.budget_line import BudgetLine
from models.enums import (
    PARTNER_KIND_LABELS,
    PROGRAM_CATEGORY_LABELS,
    SCHOOL_LEVEL_LABELS,
    PartnerKind,
    ProgramCategory,
    SchoolLevel,
)
from models.program import Program
from models.program_session import LEVEL_FIELDS, ProgramSession
from schema.budget_summary import CITY_WIDE_LABEL, NO_PARTNER_LABEL, BudgetGroupKey
from schema.enums import BudgetDimension as D
from schema.errors import ClientError
from schema.scalars import Won
from schema.session_filters import ProgramSessionFilter, summed_conditions

# Program attributes behind each dimension: its key column, then its label column.
PROGRAM_COLUMNS: dict[D, tuple[str, str | None]] = {
    D.SCHOOL: ("school__code", "school__name"),
    D.PROGRAM: ("code", "name"),
    D.CATEGORY: ("category", None),
    D.FISCAL_YEAR: ("fiscal_year", None),
    D.DISTRICT: ("school__district", None),
    D.LEVEL: ("school__level", None),
}
DIMENSIONS = (*PROGRAM_COLUMNS, D.PARTNER_KIND)


@strawberry.type(description="What the sessions of one group achieved; dimensions not grouped by are null.")
class ActivityGroup:
    keys: list[BudgetGroupKey] = strawberry.field(description="The group's keys, in `groupBy` order.")
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


@dataclass
class _Tally:
    keys: tuple[Any, ...]
    row: dict[str, Any]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("sessions", *LEVEL_FIELDS), 0))
    hours: Decimal = Decimal("0.0")
    programs: set[int] = field(default_factory=set)


async def compute_activity_summary(
    group_by: Sequence[D], filter: ProgramSessionFilter | None = None
) -> list[ActivityGroup]:
    """Groups for `group_by` (none: one grand total) over the sessions `filter` selects."""
    dimensions = list(dict.fromkeys(group_by))
    refused = [d.value for d in dimensions if d not in DIMENSIONS]
    if refused:
        raise ClientError(f"activitySummary cannot group by {', '.join(refused)}: sessions have no funder.")
    by_kind = D.PARTNER_KIND in dimensions
    grouped = ["program_id", "partner__kind"] if by_kind else ["program_id"]
    sums = {f"{name}_sum": Sum(name) for name in (*LEVEL_FIELDS, "hours")}
    query = ProgramSession.filter(**summed_conditions(filter)).annotate(session_count=Count("id"), **sums)
    rows: list[dict[str, Any]] = await query.group_by(*grouped).values(*grouped, "session_count", *sums)
    program_ids = sorted({row["program_id"] for row in rows})
    programs, executed = await _programs(program_ids), await _executed(program_ids)
    tallies: dict[tuple[Any, ...], _Tally] = {}
    for row in rows:
        context = {**programs[row["program_id"]], "partner__kind": row.get("partner__kind")}
        keys = tuple(context[_key_column(d)] for d in dimensions)
        tally = tallies.setdefault(keys, _Tally(keys, context))
        tally.counts["sessions"] += int(row["session_count"])
        for level in LEVEL_FIELDS:
            tally.counts[level] += int(row[f"{level}_sum"] or 0)
        tally.hours += Decimal(row["hours_sum"] or 0)
        tally.programs.add(row["program_id"])
    groups = [_group(dimensions, tally, executed) for tally in tallies.values()]
    groups.sort(key=lambda group: [_sort_key(key.value, key.dimension) for key in group.keys])
    return groups


def _key_column(dimension: D) -> str:
    return "partner__kind" if dimension is D.PARTNER_KIND else PROGRAM_COLUMNS[dimension][0]


async def _programs(ids: list[int]) -> dict[int, dict[str, Any]]:
    columns = {column for key, label in PROGRAM_COLUMNS.values() for column in (key, label) if column}
    rows = await Program.filter(id__in=ids).values("id", *sorted(columns)) if ids else []
    return {row["id"]: row for row in rows}


async def _executed(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = BudgetLine.filter(program_id__in=ids, archived_at__isnull=True).annotate(
        executed_sum=Sum("executed")
    )
    rows = await query.group_by("program_id").values("program_id", "executed_sum")
    # PostgreSQL sums bigint as numeric (Decimal); the amounts are whole won.
    return {row["program_id"]: int(row["executed_sum"] or 0) for row in rows}


def _group(dimensions: list[D], tally: _Tally, executed: dict[int, int]) -> ActivityGroup:
    counts = tally.counts
    participants = sum(counts[level] for level in LEVEL_FIELDS)
    spent = sum(executed.get(program_id, 0) for program_id in tally.programs)
    group = ActivityGroup(
        keys=[],
        sessions=counts["sessions"],
        participants=participants,
        hours=tally.hours.quantize(Decimal("0.1")),
        executed=Won(spent),
        # Whole won, half up, in integers: no float ever touches the amount.
        won_per_participant=Won((2 * spent + participants) // (2 * participants)) if participants else None,
        elementary=counts["elementary"],
        middle=counts["middle"],
        high=counts["high"],
        special=counts["special"],
    )
    for dimension in dimensions:
        group.keys.append(_apply(group, dimension, tally.row))
    return group


def _apply(group: ActivityGroup, dimension: D, row: dict[str, Any]) -> BudgetGroupKey:
    """Fill the group's typed field for `dimension` and return its key with a Korean label."""
    raw = row[_key_column(dimension)]
    value = None if raw is None else str(raw)
    if dimension is D.SCHOOL:
        group.school_code, group.school_name = raw, row["school__name"]
        label = group.school_name or CITY_WIDE_LABEL
    elif dimension is D.PROGRAM:
        group.program_code, group.program_name = raw, row["name"]
        label = group.program_name or ""
    elif dimension is D.CATEGORY:
        group.category = ProgramCategory(raw)
        label = PROGRAM_CATEGORY_LABELS[group.category]
    elif dimension is D.FISCAL_YEAR:
        group.fiscal_year = int(raw)
        label = f"{raw}년"
    elif dimension is D.DISTRICT:
        group.district = raw
        label = raw or CITY_WIDE_LABEL
    elif dimension is D.PARTNER_KIND:
        group.partner_kind = None if raw is None else PartnerKind(raw)
        label = NO_PARTNER_LABEL if group.partner_kind is None else PARTNER_KIND_LABELS[group.partner_kind]
    else:
        group.level = None if raw is None else SchoolLevel(raw)
        label = CITY_WIDE_LABEL if group.level is None else SCHOOL_LEVEL_LABELS[group.level]
    return BudgetGroupKey(dimension=dimension, value=value, label=label)


def _sort_key(value: str | None, dimension: D) -> tuple[bool, int, str]:
    # As budgetSummary: years as numbers, absent keys (city-wide, no partner) last.
    if value is None:
        return (True, 0, "")
    if dimension is D.FISCAL_YEAR:
        return (False, int(value), "")
    return (False, 0, value)
