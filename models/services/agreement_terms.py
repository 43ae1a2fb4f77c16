"""The agreement's term, as the rules of agreements, supplements and allocations read it.

City and office budgets run on the calendar year, so a fiscal year lies within a term when its
calendar year overlaps it: a term of 2025-03-01 to 2026-12-31 covers 2025 and 2026.
"""

from __future__ import annotations

from datetime import date

from models.agreement import Agreement
from models.allocation import Allocation
from models.errors import ErrorCode, UserError
from models.services.write_scope import WriteScope


def covers(term_start: date, term_end: date, fiscal_year: int) -> bool:
    return term_start.year <= fiscal_year <= term_end.year


def outside_term(agreement: Agreement, fiscal_year: int, field: str = "fiscalYear") -> UserError:
    message = (
        f"{fiscal_year}년은 협약 '{agreement.code}'의 기간"
        f"({agreement.term_start.isoformat()}~{agreement.term_end.isoformat()}) 밖이라 배정할 수 없습니다."
    )
    return UserError(field, message, ErrorCode.OUTSIDE_TERM)


async def years_outside(scope: WriteScope, term_start: date, term_end: date, **where: object) -> list[int]:
    """Fiscal years of live allocations (under live supplements, matching `where`) outside the term."""
    query = Allocation.filter(archived_at=None, supplementary_agreement__archived_at=None, **where).using_db(
        scope.connection
    )
    years: list[int] = await query.order_by("fiscal_year").distinct().values_list("fiscal_year", flat=True)  # type: ignore[assignment]
    return sorted(year for year in set(years) if not covers(term_start, term_end, year))


def stranded(years: list[int], field: str, whose: str) -> UserError:
    """A term change or move that would leave live allocations outside the term."""
    listed = ", ".join(f"{year}년" for year in years)
    message = f"{whose}의 배정({listed})이 협약 기간 밖이 됩니다. 먼저 그 배정을 보관하세요."
    return UserError(field, message, ErrorCode.OUTSIDE_TERM)
