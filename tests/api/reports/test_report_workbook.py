"""The workbook read back with openpyxl: Korean headers, the API's own figures, the stated unit,
conditions and the time it was taken. Reports are fetched over HTTP like a partner office does."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from models.actor import SYSTEM_ACTOR
from models.enums import Funder, ProgramCategory
from models.sample_data import load_sample_data
from models.services import budget_lines, programs
from models.services.write_scope import write_scope
from tests.api.api_kit import Gql
from tests.api.reports.report_kit import ReadReport, build_report_world, read_report

SEOUL = ZoneInfo("Asia/Seoul")
FIGURES = "keys { dimension value label } allocated executed executionRate lineCount"
SUMMARY = (
    "query($g: [BudgetDimension!]!, $f: BudgetFilter) { "
    f"groups: budgetSummary(groupBy: $g, filter: $f) {{ {FIGURES} }} "
    f"total: budgetSummary(groupBy: [], filter: $f) {{ {FIGURES} }} }}"
)


def _thousands(won: int) -> int:
    """The rule the workbook states, written out independently: half up, whole 천원."""
    return (won + 500) // 1000


async def _report(client: httpx.AsyncClient, **params: str) -> ReadReport:
    response = await client.get("/reports/budget-summary.xlsx", params=params)
    assert response.status_code == 200, response.text
    return read_report(response.content)


async def _answer(gql: Gql, group_by: list[str], where: dict[str, Any] | None = None) -> dict[str, Any]:
    body = await gql(SUMMARY, {"g": group_by, "f": where})
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_figures_in_thousand_won_are_the_graphql_answer_rounded_half_up(
    client: httpx.AsyncClient, gql: Gql
) -> None:
    await build_report_world()
    before = datetime.now(SEOUL).replace(tzinfo=None, microsecond=0)
    report = await _report(client, groupBy="PROGRAM,FUNDER", unit="천원")
    after = datetime.now(SEOUL).replace(tzinfo=None)
    answer = await _answer(gql, ["PROGRAM", "FUNDER"])

    assert report.title == "하남 교육협력 예산 집계 (사업·재원별)"
    assert report.header == [
        "사업코드",
        "사업명",
        "재원",
        "배정액(천원)",
        "집행액(천원)",
        "집행률",
        "예산 항목 수",
    ]
    assert report.facts["집계 기준"] == "사업 › 재원"
    assert report.facts["금액 단위"].startswith("천원") and "반올림" in report.facts["금액 단위"]
    taken = report.facts["작성 일시"]
    assert isinstance(taken, datetime) and before <= taken <= after  # Seoul's wall clock, not UTC
    expected = [
        [
            group["keys"][0]["value"],
            group["keys"][0]["label"],
            group["keys"][1]["label"],
            _thousands(group["allocated"]),
            _thousands(group["executed"]),
            pytest.approx(group["executionRate"], rel=1e-12),  # XLSX keeps 15-17 digits of a double
            group["lineCount"],
        ]
        for group in answer["groups"]
    ]
    assert report.rows == expected
    # The rounding edges of the world: 1,234,500원 -> 1,235; 2,000,499원 -> 2,000; 500원 -> 1.
    tour = {row[2]: row[3:5] for row in report.rows if row[0] == "RP-TOUR"}
    assert tour == {"하남시": [1235, 1000], "교육지원청": [2000, 1]}
    total = answer["total"][0]
    assert report.total == [
        "합계",
        None,
        None,
        _thousands(total["allocated"]),
        _thousands(total["executed"]),
        pytest.approx(total["executionRate"], rel=1e-12),
        total["lineCount"],
    ]
    assert report.total[3] == 16_568  # 16,568,332원
    assert report.number_formats["배정액(천원)"] == "#,##0" and report.number_formats["집행률"] == "0.0%"


async def test_won_keeps_every_won_and_the_conditions_are_stated_in_korean(
    client: httpx.AsyncClient, gql: Gql
) -> None:
    await build_report_world()
    report = await _report(client, groupBy="SCHOOL", fiscalYears="2025", funders="CITY")
    answer = await _answer(gql, ["SCHOOL"], {"fiscalYears": [2025], "funders": ["CITY"]})

    assert report.header[:4] == ["학교코드", "학교명", "배정액(원)", "집행액(원)"]
    assert report.facts["조건"] == "연도: 2025; 재원: 하남시"
    assert report.facts["금액 단위"].startswith("원")
    assert [row[:4] for row in report.rows] == [
        [g["keys"][0]["value"], g["keys"][0]["label"], g["allocated"], g["executed"]]
        for g in answer["groups"]
    ]
    # A school program and the city-wide one (no school), to the won.
    assert [row[1:3] for row in report.rows] == [
        ["미사보고초등학교", 1_234_500],
        ["시 전체 (학교 없음)", 10_000_000],
    ]
    assert report.total[2:4] == [11_234_500, 1_000_499]


async def test_no_grouping_is_the_grand_total_alone(client: httpx.AsyncClient) -> None:
    await build_report_world()
    report = await _report(client, unit="천원")
    assert report.facts["집계 기준"] == "없음 (전체 합계)"
    assert report.header[0] == "구분"
    assert report.rows == []
    assert report.total[:3] == ["합계", 16_568, 2_668]


async def test_the_sample_by_partner_kind_keeps_the_true_total_and_says_why(
    client: httpx.AsyncClient, gql: Gql
) -> None:
    await load_sample_data()
    report = await _report(client, groupBy="PARTNER_KIND,FISCAL_YEAR", unit="천원", fiscalYears="2025,2026")
    answer = await _answer(gql, ["PARTNER_KIND", "FISCAL_YEAR"], {"fiscalYears": [2025, 2026]})

    assert report.header[:2] == ["교육자원 유형", "연도"]
    assert [row[:4] for row in report.rows] == [
        [g["keys"][0]["label"], g["keys"][1]["label"], _thousands(g["allocated"]), _thousands(g["executed"])]
        for g in answer["groups"]
    ]
    assert {row[0] for row in report.rows} >= {"대학", "기업", "마을", "없음"}
    # Groups overlap (a program with two kinds of partner counts in both): the total is the API's.
    grand = answer["total"][0]
    assert report.total[2] == _thousands(grand["allocated"])
    assert sum(g["allocated"] for g in answer["groups"]) > grand["allocated"]
    assert "교육자원 유형별" in report.facts["참고"]
    assert report.facts["조건"] == "연도: 2025, 2026"


async def test_a_name_that_looks_like_a_formula_stays_text(client: httpx.AsyncClient) -> None:
    """Names come from a shared sheet: `=HYPERLINK(...)` typed there must not run in Excel."""
    await build_report_world()
    name = '=HYPERLINK("http://example.org","클릭")'
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.create(
            scope, {"code": "RP-EQ", "name": name, "category": ProgramCategory.OTHER, "fiscal_year": 2025}
        )
        await budget_lines.create(
            scope,
            {
                "program_code": "RP-EQ",
                "fiscal_year": 2025,
                "funder": Funder.CITY,
                "allocated": 1,
                "executed": 0,
            },
        )
    report = await _report(client, groupBy="PROGRAM")
    assert [row[1] for row in report.rows if row[0] == "RP-EQ"] == [name]
    assert report.formulas == []


async def test_conditions_that_match_nothing_give_the_headers_and_a_zero_total(
    client: httpx.AsyncClient,
) -> None:
    await build_report_world()
    report = await _report(client, groupBy="FUNDER", fiscalYears="1999", unit="천원")
    assert report.header[0] == "재원" and report.rows == []
    assert report.total == ["합계", 0, 0, None, 0]
    assert report.facts["조건"] == "연도: 1999"
