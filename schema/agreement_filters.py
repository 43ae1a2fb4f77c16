"""Which agreements, supplementary agreements and allocations to list; translated to Tortoise keywords."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from tortoise.expressions import Subquery

from models.agreement import Agreement as AgreementRow
from models.allocation import AllocationShare as ShareRow
from models.enums import Funder
from models.supplementary_agreement import SupplementaryAgreement as SupplementRow
from schema.filters import PROGRAM_CODE, _declared, any_of

AGREEMENT_CODE = (AgreementRow, "code")
SUPPLEMENT_CODE = (SupplementRow, "code")
ARCHIVED = "Also return archived (soft-deleted) ones."


@strawberry.input(description="Which agreements (업무협약) to return; every given condition must hold.")
class AgreementFilter:
    codes: list[str] | None = any_of("code", "Any of these agreement codes.", AGREEMENT_CODE)
    covers_year: int | None = strawberry.field(
        default=None, description="Whose term covers this fiscal year (by calendar year)."
    )
    include_archived: bool = strawberry.field(default=False, description=ARCHIVED)


@strawberry.input(
    description="Which supplementary agreements (실무 협약) to return; every condition must hold."
)
class SupplementaryAgreementFilter:
    codes: list[str] | None = any_of("code", "Any of these supplementary agreement codes.", SUPPLEMENT_CODE)
    agreement_codes: list[str] | None = any_of(
        "agreement__code", "Under any of these agreements (by agreement code).", AGREEMENT_CODE
    )
    include_archived: bool = strawberry.field(default=False, description=ARCHIVED)


@strawberry.input(description="Which allocations to return; every given condition must hold.")
class AllocationFilter:
    agreement_codes: list[str] | None = any_of(
        "supplementary_agreement__agreement__code",
        "Fixed under any of these agreements (by agreement code).",
        AGREEMENT_CODE,
    )
    supplementary_codes: list[str] | None = any_of(
        "supplementary_agreement__code",
        "Fixed by any of these supplementary agreements (by code).",
        SUPPLEMENT_CODE,
    )
    program_codes: list[str] | None = any_of(
        "program__code", "For any of these programs (by program code).", PROGRAM_CODE
    )
    fiscal_years: list[int] | None = any_of("fiscal_year", "For any of these fiscal years.")
    funders: list[Funder] | None = strawberry.field(
        default=None, description="With a share above zero won from any of these funders."
    )
    include_archived: bool = strawberry.field(default=False, description=ARCHIVED)


def _live(include_archived: bool) -> dict[str, Any]:
    return {} if include_archived else {"archived_at__isnull": True}


def agreement_conditions(where: AgreementFilter | None) -> dict[str, Any]:
    where = where or AgreementFilter()
    conditions = _declared(where, _live(where.include_archived))
    if where.covers_year is not None:
        # Outside the dates a column holds, no term covers it (and no date is built from it).
        year = min(max(where.covers_year, date.min.year), date.max.year)
        conditions["term_start__lte"] = date(year, 12, 31)
        conditions["term_end__gte"] = date(year, 1, 1)
    return conditions


def supplement_conditions(where: SupplementaryAgreementFilter | None) -> dict[str, Any]:
    where = where or SupplementaryAgreementFilter()
    return _declared(where, _live(where.include_archived))


def allocation_conditions(where: AllocationFilter | None) -> dict[str, Any]:
    where = where or AllocationFilter()
    conditions = _declared(where, _live(where.include_archived))
    if where.funders:
        # A subquery, not a join: an allocation two of the funders pay is still one row of the page.
        shares = ShareRow.filter(funder__in=list(where.funders), amount__gt=0)
        conditions["id__in"] = Subquery(shares.values("allocation_id"))
    return conditions
