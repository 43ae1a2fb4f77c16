"""`GET /reports/<summary>.xlsx`: status codes, headers, the token rule, and clear refusals."""

from __future__ import annotations

import re
from urllib.parse import unquote

import httpx
import pytest

from models.enums import Role
from models.services import tokens
from tests.api.reports.report_kit import build_report_world, read_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
URL = "/reports/budget-summary.xlsx"
HANGUL = re.compile("[가-힣]")


async def test_a_report_downloads_with_its_korean_name_and_is_never_cached(client: httpx.AsyncClient) -> None:
    await build_report_world()
    response = await client.get(URL, params={"groupBy": "PROGRAM,FUNDER", "unit": "천원"})
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert response.headers["cache-control"] == "no-store"
    disposition = response.headers["content-disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', disposition)
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert disposition.startswith("attachment;") and ascii_name and encoded
    assert re.fullmatch(r"budget-summary_PROGRAM-FUNDER_\d{8}-\d{4}\.xlsx", ascii_name.group(1))
    assert disposition.isascii()  # a header is bytes: the Korean name travels percent-encoded
    assert re.fullmatch(r"예산집계_사업-재원_천원_\d{8}-\d{4}\.xlsx", unquote(encoded.group(1)))
    assert read_report(response.content).header[0] == "사업코드"


async def test_repeated_groupby_parameters_work_like_a_comma_list(client: httpx.AsyncClient) -> None:
    await build_report_world()
    listed = await client.get(URL, params=[("groupBy", "CATEGORY"), ("groupBy", "fiscal_year")])
    assert listed.status_code == 200
    assert read_report(listed.content).header[:2] == ["사업 유형", "연도"]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"groupBy": "PROGRAM,NOPE"}, "알 수 없는 집계 기준입니다: NOPE"),
        ({"unit": "달러"}, "'원' 또는 '천원'"),
        ({"funders": "MARS"}, "조건 funders(재원)의 값 'MARS'는 없습니다"),
        ({"fiscalYears": "이천이십오"}, "정수가 아닙니다"),
        ({"colour": "red"}, "알 수 없는 조건 'colour'"),
        ({"programNameContains": "x" * 500}, "요약 조회가 거절되었습니다"),  # the API's own length limit
    ],
)
async def test_bad_input_is_a_400_in_korean_and_no_file(
    client: httpx.AsyncClient, params: dict[str, str], says: str
) -> None:
    response = await client.get(URL, params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "content-disposition" not in response.headers
    error = response.json()["errors"][0]
    assert says in error["message"] and HANGUL.search(error["message"])
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_an_unknown_report_is_a_400_naming_the_ones_there_are(client: httpx.AsyncClient) -> None:
    response = await client.get("/reports/everything.xlsx")
    assert response.status_code == 400
    assert "budget-summary" in response.json()["errors"][0]["message"]


async def test_a_wrong_or_revoked_token_is_a_401_never_the_anonymous_report(
    client: httpx.AsyncClient,
) -> None:
    await build_report_world()
    token, secret = await tokens.create(name="교육지원청 담당자", role=Role.PARTNER)
    ok = await client.get(URL, headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200
    assert read_report(ok.content).facts["조회 권한"] == "파트너 토큰 · 교육지원청 담당자"
    await tokens.revoke(token.id)
    for header in (f"Bearer {secret}", "Bearer ehub_not-a-token", "Basic dXNlcjpwYXNz"):
        refused = await client.get(URL, headers={"Authorization": header})
        assert refused.status_code == 401, header
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert refused.headers["content-type"].startswith("application/json")
        assert HANGUL.search(refused.json()["errors"][0]["message"])


async def test_anonymous_and_partner_reports_show_what_each_may_query(client: httpx.AsyncClient) -> None:
    """budgetSummary is public aggregate data: the same figures for both, each labelled as whom."""
    await build_report_world()
    _, secret = await tokens.create(name="하남시 담당자", role=Role.STAFF)
    anonymous = read_report((await client.get(URL, params={"groupBy": "FUNDER"})).content)
    staff = read_report(
        (
            await client.get(URL, params={"groupBy": "FUNDER"}, headers={"Authorization": f"Bearer {secret}"})
        ).content
    )
    assert anonymous.rows == staff.rows and anonymous.total == staff.total
    assert anonymous.facts["조회 권한"].startswith("공개")
    assert staff.facts["조회 권한"] == "직원 토큰 · 하남시 담당자"
