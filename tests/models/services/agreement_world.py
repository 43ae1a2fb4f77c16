"""The small world the agreement service tests share: an agreement, a supplement, a program."""

from __future__ import annotations

from datetime import date
from typing import Any

from models.actor import SYSTEM_ACTOR
from models.agreement import Agreement
from models.allocation import Allocation
from models.enums import Funder, ProgramCategory
from models.program import Program
from models.services import agreements, allocations, programs, supplementary_agreements
from models.services.agreements import AgreementFields
from models.services.write_scope import write_scope
from models.supplementary_agreement import SupplementaryAgreement

AGREEMENT: AgreementFields = {
    "code": "HANAM-GHOE-2025",
    "title": "미래교육도시 하남 – 경기공유학교 업무협약",
    "parties": "하남시, 경기도광주하남교육지원청",
    "signed_on": date(2024, 12, 20),
    "term_start": date(2025, 1, 1),
    "term_end": date(2026, 12, 31),
}


async def agreement(**changes: Any) -> Agreement:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await agreements.create(scope, {**AGREEMENT, **changes})  # type: ignore[typeddict-item]


async def supplement(
    code: str = "HANAM-GHOE-2025-S1", agreement_code: str = "HANAM-GHOE-2025"
) -> SupplementaryAgreement:
    async with write_scope(SYSTEM_ACTOR) as scope:
        fields = {"code": code, "agreement_code": agreement_code, "title": "2025년 실무 협약"}
        return await supplementary_agreements.create(scope, fields)  # type: ignore[arg-type]


async def program(code: str = "HN2025-CT-001") -> Program:
    async with write_scope(SYSTEM_ACTOR) as scope:
        fields = {
            "code": code,
            "name": "대학 캠퍼스 투어",
            "category": ProgramCategory.CAMPUS_TOUR,
            "fiscal_year": 2025,
        }
        return await programs.create(scope, fields)  # type: ignore[arg-type]


async def world() -> None:
    """An agreement for 2025-2026, its first supplement and one program."""
    await agreement()
    await supplement()
    await program()


def allocation_fields(total: int = 50_000_000, **shares: int) -> dict[str, Any]:
    given = shares or {"CITY": 30_000_000, "OFFICE_OF_EDUCATION": 20_000_000}
    return {
        "supplementary_code": "HANAM-GHOE-2025-S1",
        "program_code": "HN2025-CT-001",
        "fiscal_year": 2025,
        "total": total,
        "shares": [{"funder": Funder(funder), "amount": amount} for funder, amount in given.items()],
    }


async def set_allocation(fields: dict[str, Any]) -> Allocation:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await allocations.set_allocation(scope, fields)  # type: ignore[arg-type]
