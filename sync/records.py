"""What the sync knows about each record type: model, service module, plain values, labels."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType
from typing import Any, Protocol

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


class Loader(Protocol):
    """Plain values and archived flag of records (all for ``None``), optionally locked in a transaction."""

    def __call__(
        self, ids: Iterable[int] | None, connection: Any = None, lock: bool = False
    ) -> Awaitable[dict[int, tuple[Values, bool]]]: ...


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
    load_values: Loader

    def to_service(self, values: Values) -> Values:
        """API-term values as the service layer takes them (enum members instead of names)."""
        return {
            name: (self.enums[name](value) if name in self.enums and value is not None else value)
            for name, value in values.items()
        }


def _rows(model: Any, ids: Iterable[int] | None, connection: Any, lock: bool) -> Any:
    """Rows of ``model`` (all, or ``ids``); locked ``FOR UPDATE`` in id order when ``lock``."""
    query = model.all() if ids is None else model.filter(id__in=sorted(ids))
    if connection is not None:
        query = query.using_db(connection)
    # Ordered by id, so two lockers of overlapping sets queue instead of deadlocking.
    return query.order_by("id").select_for_update() if lock else query


async def _schools(
    ids: Iterable[int] | None, connection: Any = None, lock: bool = False
) -> dict[int, tuple[Values, bool]]:
    rows = await _rows(School, ids, connection, lock)
    return {s.pk: (school_values(s), s.archived_at is not None) for s in rows}


async def _programs(
    ids: Iterable[int] | None, connection: Any = None, lock: bool = False
) -> dict[int, tuple[Values, bool]]:
    rows = await _rows(Program, ids, connection, lock)
    schools = School.filter(id__in={p.school_id for p in rows if p.school_id})
    codes = dict(await (schools.using_db(connection) if connection else schools).values_list("id", "code"))
    return {p.pk: (program_values(p, codes.get(p.school_id)), p.archived_at is not None) for p in rows}


async def _budget_lines(
    ids: Iterable[int] | None, connection: Any = None, lock: bool = False
) -> dict[int, tuple[Values, bool]]:
    rows = await _rows(BudgetLine, ids, connection, lock)
    programs = Program.filter(id__in={b.program_id for b in rows})
    codes = dict(await (programs.using_db(connection) if connection else programs).values_list("id", "code"))
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
