"""The 요약 tab's rows: totals per program and funder, 집행률 over 예산현액 as the API has it."""

from __future__ import annotations

from models.enums import Funder
from sync import summary_tab
from tests.models.services.budget_kit import make_line, make_program


async def test_the_rate_counts_carried_in_money_as_this_years_budget(db: str) -> None:
    await make_program()
    await make_line(allocated=0, carried_in=1_000_000, executed=500_000)
    await make_line(fiscal_year=2026, allocated=3_000_000, executed=1_000_000)
    await make_line(funder=Funder.PROVINCE, allocated=0)
    header, *body = await summary_tab.rows(None)
    assert header == summary_tab.HEADER
    assert body == [
        # Over 배정액 alone the first would read 50.0 %; it spent 1,500,000 of 4,000,000 (예산현액).
        ["P1", "하남시", 3_000_000, 1_500_000, "37.5%", ""],
        ["P1", "경기도교육청", 0, 0, "", ""],
    ]
