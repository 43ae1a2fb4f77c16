"""Which program sessions (운영 실적) to list or sum, and its translation to Tortoise keywords."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from tortoise.expressions import Q, Subquery

from models.enums import PartnerKind, ProgramCategory, SchoolLevel
from models.program_session import ProgramSession as SessionRow
from schema.filters import PARTNER_CODE, PROGRAM_CODE, _declared, any_of

# A level "took part" in a session when it counts at least one participant there.
LEVEL_COLUMNS = {
    SchoolLevel.ELEMENTARY: "elementary",
    SchoolLevel.MIDDLE: "middle",
    SchoolLevel.HIGH: "high",
    SchoolLevel.SPECIAL: "special",
}


@strawberry.input(description="Which program sessions to list or sum; every given condition must hold.")
class ProgramSessionFilter:
    program_codes: list[str] | None = any_of(
        "program__code", "Sessions of any of these programs (by program code).", PROGRAM_CODE
    )
    fiscal_years: list[int] | None = any_of(
        "program__fiscal_year", "Of programs of any of these fiscal years."
    )
    categories: list[ProgramCategory] | None = any_of(
        "program__category", "Of programs of any of these types."
    )
    partner_codes: list[str] | None = any_of(
        "partner__code", "Hosted by any of these partners (by partner code).", PARTNER_CODE
    )
    partner_kinds: list[PartnerKind] | None = any_of(
        "partner__kind", "Hosted by a partner of any of these kinds."
    )
    held_from: date | None = strawberry.field(default=None, description="Held on this day or later.")
    held_to: date | None = strawberry.field(default=None, description="Held on this day or earlier.")
    levels: list[SchoolLevel] | None = strawberry.field(
        default=None, description="With at least one participant of any of these school levels."
    )
    include_archived: bool = strawberry.field(
        default=False, description="Also list archived sessions (sums never count them)."
    )


def session_conditions(where: ProgramSessionFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `ProgramSession.filter(**...)`."""
    where = where or ProgramSessionFilter()
    conditions = _declared(where, {} if where.include_archived else {"archived_at__isnull": True})
    if where.held_from is not None:
        conditions["held_on__gte"] = where.held_from
    if where.held_to is not None:
        conditions["held_on__lte"] = where.held_to
    if where.levels:
        each = [Q(**{f"{LEVEL_COLUMNS[level]}__gt": 0}) for level in where.levels]  # type: ignore[arg-type]
        took_part = Q(*each, join_type="OR")
        # A subquery keeps the condition a keyword, as `Listing.conditions` hands them over.
        conditions["id__in"] = Subquery(SessionRow.filter(took_part).values("id"))
    return conditions


def summed_conditions(where: ProgramSessionFilter | None) -> dict[str, Any]:
    """What sums count: live sessions of live programs only, whatever `includeArchived` says."""
    conditions = session_conditions(where)
    conditions.update({"archived_at__isnull": True, "program__archived_at__isnull": True})
    return conditions
