"""What the sync knows about each record type: model, service module, plain values, labels."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType
from typing import Any

from models.budget_line import BudgetLine
from models.enums import (
    FUNDER_LABELS,
    PROGRAM_CATEGORY_LABELS,
    PROGRAM_STATUS_LABELS,
    SCHOOL_LEVEL_LABELS,
    Funder,
    ProgramCategory,
    ProgramStatus,
    RecordType,
    SchoolLevel,
)
from models.program import Program
from models.school import School
from models.services import budget_lines, programs, schools
from models.services.record_values import budget_line_values, program_values, school_values

Values = dict[str, Any]


@dataclass(frozen=True)
class RecordKind:
    """One record type as the sync sees it."""

    record_type: RecordType
    model: Any
    service: ModuleType
    enums: dict[str, type[StrEnum]]
    labels: dict[str, dict[Any, str]]
    natural_key: tuple[str, ...]
    fields: tuple[str, ...]
    load_values: Callable[[Iterable[int] | None], Awaitable[dict[int, tuple[Values, bool]]]]

    def to_service(self, values: Values) -> Values:
        """API-term values as the service layer takes them (enum members instead of names)."""
        return {
            name: (self.enums[name](value) if name in self.enums and value is not None else value)
            for name, value in values.items()
        }


async def _schools(ids: Iterable[int] | None) -> dict[int, tuple[Values, bool]]:
    query = School.all() if ids is None else School.filter(id__in=list(ids))
    return {s.pk: (school_values(s), s.archived_at is not None) for s in await query}


async def _programs(ids: Iterable[int] | None) -> dict[int, tuple[Values, bool]]:
    query = Program.all() if ids is None else Program.filter(id__in=list(ids))
    rows = await query
    codes = dict(
        await School.filter(id__in={p.school_id for p in rows if p.school_id}).values_list("id", "code")
    )
    return {p.pk: (program_values(p, codes.get(p.school_id)), p.archived_at is not None) for p in rows}


async def _budget_lines(ids: Iterable[int] | None) -> dict[int, tuple[Values, bool]]:
    query = BudgetLine.all() if ids is None else BudgetLine.filter(id__in=list(ids))
    rows = await query
    codes = dict(await Program.filter(id__in={b.program_id for b in rows}).values_list("id", "code"))
    return {b.pk: (budget_line_values(b, codes[b.program_id]), b.archived_at is not None) for b in rows}


KINDS: dict[RecordType, RecordKind] = {
    RecordType.SCHOOL: RecordKind(
        RecordType.SCHOOL,
        School,
        schools,
        {"level": SchoolLevel},
        {"level": SCHOOL_LEVEL_LABELS},
        ("code",),
        ("code", "name", "level", "district", "students"),
        _schools,
    ),
    RecordType.PROGRAM: RecordKind(
        RecordType.PROGRAM,
        Program,
        programs,
        {"category": ProgramCategory, "status": ProgramStatus},
        {"category": PROGRAM_CATEGORY_LABELS, "status": PROGRAM_STATUS_LABELS},
        ("code",),
        ("code", "name", "category", "school_code", "fiscal_year", "status", "description"),
        _programs,
    ),
    RecordType.BUDGET_LINE: RecordKind(
        RecordType.BUDGET_LINE,
        BudgetLine,
        budget_lines,
        {"funder": Funder},
        {"funder": FUNDER_LABELS},
        ("program_code", "fiscal_year", "funder"),
        ("program_code", "fiscal_year", "funder", "allocated", "executed", "note"),
        _budget_lines,
    ),
}
