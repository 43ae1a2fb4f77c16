"""The 요약 tab: allocated and executed totals per program and funder, with the execution rate.

Worker-owned like 동기화 오류. "마지막 동기화" is when a cycle last changed data, so an idle
worker never rewrites the tab (and never wakes itself up through Drive's version).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from models import budget_figures
from models.budget_line import BudgetLine
from models.enums import FUNDER_LABELS, Funder
from models.program import Program

HEADER = ["사업코드", "재원", "배정액", "집행액", "집행률", "마지막 동기화"]
KST = timezone(timedelta(hours=9))


async def rows(last_change: datetime | None) -> list[list[Any]]:
    """Header plus one row per (program, funder) of live budget lines."""
    codes = dict(await Program.all().values_list("id", "code"))
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    lines = await BudgetLine.filter(archived_at=None).values_list(
        "program_id", "funder", "allocated", "executed", "carried_in"
    )
    for program_id, funder, allocated, executed, carried_in in lines:
        total = totals[(codes.get(program_id, "?"), str(funder))]
        total[0] += int(allocated)
        total[1] += int(executed)
        total[2] += int(carried_in)
    stamp = last_change.astimezone(KST).strftime("%Y-%m-%d %H:%M") if last_change else ""
    body: list[list[Any]] = []
    for (code, funder), (allocated, executed, carried_in) in sorted(totals.items()):
        # 집행률 over 예산현액 (models.budget_figures), as the API reports it.
        share = budget_figures.execution_rate(executed, allocated, carried_in)
        rate = f"{share * 100:.1f}%" if share is not None else ""
        body.append([code, FUNDER_LABELS[Funder(funder)], allocated, executed, rate, stamp])
    return [HEADER, *body]
