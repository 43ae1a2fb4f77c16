"""The dashboard's print view in real Chromium: A4 width, no controls, rows kept whole, the
taken-at time on paper, and still no accessibility violation."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Page

from api.app import create_app
from models.sample_data import load_sample_data
from tests.api.api_kit import make_settings, serving
from tests.api.browser_kit import axe_violations, chromium, describe, offline_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),  # the page is what is tested
]
DIMENSIONS = ["CATEGORY", "FUNDER", "FISCAL_YEAR", "LEVEL", "DISTRICT"]
# A4 is 210 mm wide; the print stylesheet's @page margin is 12 mm a side; CSS has 96 px an inch.
A4_CONTENT_WIDTH = int((210 - 2 * 12) / 25.4 * 96)  # 702.99 px, rounded down: 1 px to spare

OVERFLOWING = """(width) => [...document.body.querySelectorAll('*')].flatMap((e) => {
    const r = e.getBoundingClientRect();
    if (!r.width && !r.height) return [];  // not printed (display: none)
    const name = `${e.tagName.toLowerCase()}#${e.id}.${e.className?.baseVal ?? e.className}`;
    return r.left < -0.5 || r.right > width + 0.5 ? [`${name} ${r.left}..${r.right}`] : [];
})"""


async def _printed_dashboard(page: Page, base_url: str) -> None:
    await page.goto(f"{base_url}/dashboard")
    await page.wait_for_selector("#live[data-state=open]")
    for dimension in DIMENSIONS:
        await page.wait_for_selector(f"[data-chart={dimension}] .data-table tbody tr", state="attached")
    await page.emulate_media(media="print", reduced_motion="reduce")


async def test_the_print_view_fits_the_width_of_a4_and_says_when_it_was_taken(db: str) -> None:
    await load_sample_data()
    app = create_app(make_settings(db), manage_database=False)
    async with serving(app) as base_url, chromium() as browser:
        offline = await offline_page(browser, base_url, viewport={"width": A4_CONTENT_WIDTH, "height": 990})
        page = offline.page
        await _printed_dashboard(page, base_url)

        assert await page.evaluate(OVERFLOWING, A4_CONTENT_WIDTH) == []
        assert await page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_WIDTH
        for control in ["#report-form", "#token-box", "#live", ".skip-link", ".data-table summary"]:
            assert not await page.locator(control).first.is_visible(), control
        # Every chart's table is printed open, with rows and cards that never split across pages.
        assert await page.locator(".data-table[open]").count() == len(DIMENSIONS)
        for selector in [".card", ".kpi", ".data-table tr"]:
            style = await page.eval_on_selector(selector, "(e) => getComputedStyle(e).breakInside")
            assert style == "avoid", selector
        # Two cards a row: the funder and year cards sit side by side.
        funder = await page.locator("[data-chart=FUNDER]").bounding_box()
        year = await page.locator("[data-chart=FISCAL_YEAR]").bounding_box()
        assert funder and year and funder["y"] == year["y"] and funder["x"] < year["x"]

        stamp = page.locator("#print-stamp")
        assert await stamp.is_visible()
        today = datetime.now(ZoneInfo("Asia/Seoul"))
        text = await stamp.text_content() or ""
        assert text.startswith("인쇄 기준 시각: ") and f"{today.year}년 {today.month}월 {today.day}일" in text
        assert "한국 표준시" in text

        pdf = await page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF-")
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert 1 <= pages <= 3, f"{pages} A4 pages"

        violations = await axe_violations(page)
        assert violations == [], describe(violations)
        assert offline.blocked == [] and offline.problems == []
