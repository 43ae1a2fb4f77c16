"""`GET /reports/activity-summary.xlsx`: what programs achieved as a workbook, with Korean headers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from models.actor import SYSTEM_ACTOR
from models.services import program_sessions
from models.services.write_scope import write_scope
from tests.api.reports.report_kit import build_report_world, read_report

URL = "/reports/activity-summary.xlsx"


async def _sessions() -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        for program, day, middle, hours in [
            ("RP-TOUR", date(2025, 4, 1), 30, "2.5"),
            ("RP-TOUR", date(2025, 5, 1), 10, "1.0"),
            ("RP-SHARED", date(2025, 6, 1), 0, "3.0"),
        ]:
            await program_sessions.create(
                scope, {"program_code": program, "held_on": day, "middle": middle, "hours": Decimal(hours)}
            )


async def test_activity_report_groups_with_won_per_participant(client: httpx.AsyncClient) -> None:
    await build_report_world()
    await _sessions()
    response = await client.get(URL, params={"groupBy": "PROGRAM", "heldFrom": "2025-01-01"})
    assert response.status_code == 200, response.text
    report = read_report(response.content)
    assert report.title == "하남 교육협력 운영 실적 집계 (사업별)"
    assert report.header[:5] == ["사업코드", "사업명", "운영 횟수", "참여 인원", "초등"]
    assert "1인당 집행액(원)" in report.header
    rows = {row[0]: dict(zip(report.header, row, strict=True)) for row in report.rows}
    tour = rows["RP-TOUR"]
    assert (tour["운영 횟수"], tour["참여 인원"], tour["운영 시간"]) == (2, 40, 3.5)
    assert tour["집행액(원)"] == 1_000_999
    assert tour["1인당 집행액(원)"] == 25_025  # 1,000,999 / 40 = 25,024.975, half up
    assert rows["RP-SHARED"]["1인당 집행액(원)"] is None  # nobody took part: empty, never 0
    assert report.total[2:4] == [3, 40]


async def test_funder_is_refused_in_korean(client: httpx.AsyncClient) -> None:
    response = await client.get(URL, params={"groupBy": "FUNDER"})
    assert response.status_code == 400, response.text
    assert "FUNDER" in response.json()["errors"][0]["message"]
