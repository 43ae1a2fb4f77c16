"""What the sync knows about each record family: its service family, plain values, labels, keys.

The writes, the model and the record type come from the family (`models.services.family`);
what is the sync's own is declared here: which fields have enum cells and their Korean labels,
the natural key that matches rows without IDs, and the fields a tab may map.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from models.enums import (
    BUDGET_STAGE_LABELS,
    FUNDER_LABELS,
    PARTNER_KIND_LABELS,
    PROGRAM_CATEGORY_LABELS,
    PROGRAM_STATUS_LABELS,
    SCHOOL_LEVEL_LABELS,
    BudgetStage,
    Funder,
    PartnerKind,
    ProgramCategory,
    ProgramStatus,
    RecordType,
    SchoolLevel,
)
from models.services.budget_lines import BUDGET_LINES
from models.services.family import Family
from models.services.partners import PARTNERS
from models.services.program_sessions import SESSIONS, with_partner_codes
from models.services.programs import PROGRAMS
from models.services.schools import SCHOOLS

Values = dict[str, Any]


@dataclass(frozen=True)
class RecordKind:
    """One record family as the sync sees it."""

    service: Family[Any, Any]  # create, update, archive and restore go through it
    enums: dict[str, type[StrEnum]]
    labels: dict[str, dict[Any, str]]
    natural_key: tuple[str, ...]
    fields: tuple[str, ...]
    # Loads onto the rows what `values` shows beyond the one reference (a session's partner code).
    prepare: Callable[[list[Any], Any], Awaitable[Any]] | None = None
    # Values computed from the others, for worker-owned columns only (a line's 예산현액).
    derived: Callable[[Values], Values] | None = None

    @property
    def record_type(self) -> RecordType:
        return self.service.record_type

    @property
    def model(self) -> Any:
        return self.service.model

    def to_service(self, values: Values) -> Values:
        """API-term values as the service layer takes them (enum members instead of names)."""
        return {
            name: (self.enums[name](value) if name in self.enums and value is not None else value)
            for name, value in values.items()
        }

    async def load_values(
        self, ids: Iterable[int] | None, connection: Any = None, lock: bool = False
    ) -> dict[int, tuple[Values, bool]]:
        """Plain values and archived flag of records (all for ``None``), optionally locked."""
        rows = await _rows(self.model, ids, connection, lock)
        if self.prepare is not None:
            await self.prepare(list(rows), connection)
        reference, codes = self.service.reference, {}
        if reference is not None:
            # One query for the codes of every referenced record, not one per row.
            wanted = {getattr(r, reference.column) for r in rows} - {None}
            targets = reference.model.filter(id__in=wanted)
            codes = dict(
                await (targets.using_db(connection) if connection else targets).values_list("id", "code")
            )

        def code_of(row: Any) -> str | None:
            return None if reference is None else codes.get(getattr(row, reference.column))

        return {
            r.pk: (self.with_derived(self.service.values(r, code_of(r))), r.archived_at is not None)
            for r in rows
        }

    def with_derived(self, values: Values) -> Values:
        return values if self.derived is None else {**values, **self.derived(values)}


def _budget_current(values: Values) -> Values:
    # 예산현액; unknown (None) from a merge base stored before carried_in existed.
    allocated, carried_in = values.get("allocated"), values.get("carried_in")
    if allocated is None or carried_in is None:
        return {"budget_current": None}
    return {"budget_current": int(allocated) + int(carried_in)}


def _rows(model: Any, ids: Iterable[int] | None, connection: Any, lock: bool) -> Any:
    """Rows of ``model`` (all, or ``ids``); locked ``FOR UPDATE`` in id order when ``lock``."""
    query = model.all() if ids is None else model.filter(id__in=sorted(ids))
    if connection is not None:
        query = query.using_db(connection)
    # Ordered by id, so two lockers of overlapping sets queue instead of deadlocking.
    return query.order_by("id").select_for_update() if lock else query


KINDS: dict[RecordType, RecordKind] = {
    RecordType.SCHOOL: RecordKind(
        SCHOOLS,
        {"level": SchoolLevel},
        {"level": SCHOOL_LEVEL_LABELS},
        ("code",),
        ("code", "name", "level", "district", "students"),
    ),
    RecordType.PROGRAM: RecordKind(
        PROGRAMS,
        {"category": ProgramCategory, "status": ProgramStatus},
        {"category": PROGRAM_CATEGORY_LABELS, "status": PROGRAM_STATUS_LABELS},
        ("code",),
        ("code", "name", "category", "school_code", "fiscal_year", "status", "description"),
    ),
    RecordType.BUDGET_LINE: RecordKind(
        BUDGET_LINES,
        {"funder": Funder, "stage": BudgetStage},
        {"funder": FUNDER_LABELS, "stage": BUDGET_STAGE_LABELS},
        ("program_code", "fiscal_year", "funder"),
        (
            "program_code",
            "fiscal_year",
            "funder",
            "allocated",
            "executed",
            "stage",
            "disbursed",
            "carried_in",
            "carried_out",
            "unused",
            "budget_current",
            "note",
        ),
        derived=_budget_current,
    ),
    RecordType.PARTNER: RecordKind(
        PARTNERS,
        {"kind": PartnerKind},
        {"kind": PARTNER_KIND_LABELS},
        ("code",),
        ("code", "name", "kind", "district", "phone", "email", "homepage"),
    ),
    RecordType.PROGRAM_SESSION: RecordKind(
        SESSIONS,
        {},
        {},
        # A row typed without an ID matches a session not yet in the sheet only on all of these.
        ("program_code", "held_on", "place", "partner_code"),
        (
            "program_code",
            "held_on",
            "place",
            "partner_code",
            "elementary",
            "middle",
            "high",
            "special",
            "hours",
            "note",
        ),
        prepare=with_partner_codes,
    ),
}
