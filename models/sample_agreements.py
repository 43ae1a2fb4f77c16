"""The sample's agreement (업무협약), its supplementary agreements (실무 협약) for 2025 and 2026 and
their allocations, one per sample program and year.

SAMPLE DATA, invented and marked so: the agreement's and supplements' titles end in "(예시)" and
their notes say the dates and amounts are invented. Every allocation's total and shares are
what the sample's budget lines of that program and year allocate per funder, so `budgeted`
matches `shares` throughout the sample.
"""

from __future__ import annotations

from datetime import date

from models.enums import Funder
from models.services.agreements import AgreementFields
from models.services.allocations import AllocationFields
from models.services.budget_lines import BudgetLineFields
from models.services.supplementary_agreements import SupplementaryAgreementFields

AGREEMENT_CODE = "HANAM-GHOE-2025"
INVENTED = "(예시) 날짜와 금액은 시연용으로 지어낸 값입니다."
AGREEMENT: AgreementFields = {
    "code": AGREEMENT_CODE,
    "title": "미래교육도시 하남 – 경기공유학교 업무협약(예시)",
    "parties": "하남시, 경기도광주하남교육지원청",
    "signed_on": date(2024, 12, 20),
    "term_start": date(2025, 1, 1),
    "term_end": date(2026, 12, 31),
    "note": INVENTED,
}
# One supplement per fiscal year of the term: (fiscal year, code, signed on).
SUPPLEMENT_YEARS = (
    (2025, f"{AGREEMENT_CODE}-S1", date(2025, 2, 14)),
    (2026, f"{AGREEMENT_CODE}-S2", date(2026, 2, 13)),
)


def sample_supplements() -> list[SupplementaryAgreementFields]:
    return [
        {
            "code": code,
            "agreement_code": AGREEMENT_CODE,
            "title": f"{year}년 사업별 재원 분담 실무 협약(예시)",
            "signed_on": signed_on,
            "note": INVENTED,
        }
        for year, code, signed_on in SUPPLEMENT_YEARS
    ]


def sample_allocations(lines: list[BudgetLineFields]) -> list[AllocationFields]:
    """One allocation per (program, year) of `lines`, its shares the lines' allocated per funder."""
    supplement_of = {year: code for year, code, _ in SUPPLEMENT_YEARS}
    sums: dict[tuple[str, int], dict[Funder, int]] = {}
    for line in lines:
        per_funder = sums.setdefault((line["program_code"], line["fiscal_year"]), {})
        per_funder[line["funder"]] = per_funder.get(line["funder"], 0) + line["allocated"]
    return [
        {
            "supplementary_code": supplement_of[year],
            "program_code": program_code,
            "fiscal_year": year,
            "total": sum(per_funder.values()),
            "shares": [{"funder": funder, "amount": amount} for funder, amount in per_funder.items()],
        }
        for (program_code, year), per_funder in sums.items()
    ]
