"""The dashboard's report button in real Chromium: the file it saves is the caller's report."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.app import create_app
from models.enums import Role
from models.sample_data import load_sample_data
from models.services import tokens
from tests.api.api_kit import make_settings, serving
from tests.api.browser_kit import axe_violations, chromium, describe, offline_page
from tests.api.dashboard.dashboard_kit import graphql
from tests.api.reports.report_kit import ReadReport, read_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),  # the page is what is tested
]


def _read(path: Path) -> ReadReport:
    return read_report(path.read_bytes())


async def test_the_button_saves_the_chosen_report_as_the_token_holder(db: str) -> None:
    await load_sample_data()
    _, partner = await tokens.create(name="광주하남교육지원청", role=Role.PARTNER)
    app = create_app(make_settings(db), manage_database=False)
    async with serving(app) as base_url, chromium() as browser:
        offline = await offline_page(browser, base_url, accept_downloads=True)
        page = offline.page
        await page.goto(f"{base_url}/dashboard")
        await page.wait_for_selector("#live[data-state=open]")
        await page.click("#token-summary")
        await page.fill("#token-input", partner)
        await page.press("#token-input", "Enter")
        await page.wait_for_selector("#changes-card", state="visible")

        await page.select_option("#report-group", "PROGRAM")
        await page.select_option("#report-unit", "천원")
        async with page.expect_download() as started:
            await page.click("#report-download")
        download = await started.value
        assert download.suggested_filename.startswith("예산집계_사업_천원_")
        assert download.suggested_filename.endswith(".xlsx")
        report = _read(Path(await download.path()))
        total = (await graphql(base_url, "{ budgetSummary(groupBy: []) { allocated lineCount } }"))[
            "budgetSummary"
        ][0]
        assert report.header[:4] == ["사업코드", "사업명", "배정액(천원)", "집행액(천원)"]
        assert report.total[:3] == ["합계", None, (total["allocated"] + 500) // 1000]
        assert report.total[-1] == total["lineCount"]
        assert report.facts["조회 권한"] == "파트너 토큰 · 광주하남교육지원청"
        await page.wait_for_selector("#report-message:has-text('내려받았습니다')")

        # The 운영 실적 report: FUNDER groupings are not offered, the file is the activity summary.
        await page.select_option("#report-group", "PROGRAM,FUNDER")
        await page.select_option("#report-kind", "activity-summary")
        assert await page.eval_on_selector("#report-group", "(s) => s.value") == "PROGRAM"
        assert await page.eval_on_selector("#report-group option[value=FUNDER]", "(o) => o.disabled")
        await page.select_option("#report-group", "CATEGORY")
        async with page.expect_download() as started:
            await page.click("#report-download")
        activity = _read(Path(await (await started.value).path()))
        sessions = (await graphql(base_url, "{ activitySummary(groupBy: []) { sessions } }"))[
            "activitySummary"
        ]
        assert activity.header[:3] == ["사업 유형", "운영 횟수", "참여 인원"]
        assert activity.total[1] == sessions[0]["sessions"]
        await page.select_option("#report-kind", "budget-summary")
        await page.wait_for_selector("#report-message:has-text('운영실적집계')")

        # A request the server refuses shows its Korean reason, and nothing is saved.
        await page.eval_on_selector("#report-group option:checked", "(o) => { o.value = 'NOPE'; }")
        await page.click("#report-download")
        await page.wait_for_selector("#report-message:has-text('알 수 없는 집계 기준입니다: NOPE')")
        violations = await axe_violations(page)
        assert violations == [], describe(violations)
        assert offline.blocked == []
        # The browser logs the refused request itself; nothing else went wrong on the page.
        assert offline.problems == [
            "console: Failed to load resource: the server responded with a status of 400 (Bad Request)"
        ]
