"""The dashboard meets KWCAG 2.2 / WCAG 2.1 AA as far as a browser can check: axe-core finds no
violation in any state of the page, charts carry their figures as text, everything works by
keyboard, and the page says it is Korean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Page

from api.app import create_app
from models.enums import Role
from models.sample_data import load_sample_data
from models.services import tokens
from tests.api.api_kit import make_settings, serving
from tests.api.browser_kit import axe_violations, chromium, describe, offline_page
from tests.api.dashboard.dashboard_kit import enter_token_and_change_a_line

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # The page is what is tested, not the engine: SQLite alone keeps the browser run short.
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
DIMENSIONS = ["CATEGORY", "FUNDER", "FISCAL_YEAR", "LEVEL", "DISTRICT"]


async def _open_dashboard(page: Page, base_url: str) -> None:
    await page.goto(f"{base_url}/dashboard")
    await page.wait_for_selector("#live[data-state=open]")
    for dimension in DIMENSIONS:
        await page.wait_for_selector(f"#chart-{dimension} [data-key]")
        await page.wait_for_selector(f"[data-chart={dimension}] .data-table tbody tr", state="attached")
    await page.wait_for_selector("#activity-rows tr")  # the 운영 실적 panel is checked filled


async def _assert_no_violations(page: Page, state: str) -> None:
    violations = await axe_violations(page)
    assert violations == [], f"{state}:\n{describe(violations)}"


async def _focused(page: Page) -> dict[str, Any]:
    focused: dict[str, Any] = await page.evaluate(
        """() => { const e = document.activeElement; const style = getComputedStyle(e);
            return { id: e.id, tag: e.tagName, text: e.textContent.trim().slice(0, 40),
                     outline: style.outlineStyle, card: e.closest('.card')?.dataset.chart ?? null }; }"""
    )
    return focused


async def test_axe_finds_no_violation_in_any_state_of_the_dashboard(db: str) -> None:
    await load_sample_data()
    _, partner = await tokens.create(name="광주하남교육지원청", role=Role.PARTNER)
    _, staff = await tokens.create(name="하남시 담당자", role=Role.STAFF)
    app = create_app(make_settings(db), manage_database=False)
    async with serving(app) as base_url, chromium() as browser:
        offline = await offline_page(browser, base_url, viewport={"width": 1280, "height": 1100})
        page = offline.page
        await _open_dashboard(page, base_url)
        await _assert_no_violations(page, "public view")

        await page.click("#token-summary")
        await page.wait_for_selector("#token-input", state="visible")
        await _assert_no_violations(page, "token box open")

        await enter_token_and_change_a_line(page, base_url, partner, staff)
        await page.wait_for_selector("#changes li")
        await page.wait_for_timeout(1700)  # the highlight of what changed fades first
        await _assert_no_violations(page, "partner view with a change")

        for summary in await page.query_selector_all(".data-table summary"):
            await summary.click()
        await _assert_no_violations(page, "every table open")

        await page.set_viewport_size({"width": 390, "height": 844})  # a phone: the narrow layout
        await _assert_no_violations(page, "narrow screen")
        assert offline.blocked == [] and offline.problems == []


async def test_the_charts_carry_their_figures_as_text_in_korean(db: str) -> None:
    await load_sample_data()
    app = create_app(make_settings(db), manage_database=False)
    async with serving(app) as base_url, chromium() as browser:
        page = (await offline_page(browser, base_url)).page
        await _open_dashboard(page, base_url)
        assert await page.get_attribute("html", "lang") == "ko"
        for dimension in DIMENSIONS:
            chart = page.locator(f"#chart-{dimension}")
            assert await chart.get_attribute("role") == "img"
            label = await chart.get_attribute("aria-label") or ""
            # What the bars show, from the same data-* figures the other test checks against GraphQL.
            shown: list[list[Any]] = await page.evaluate(
                """(d) => [...document.querySelectorAll(`#chart-${d} [data-key]`)].map((n) =>
                    [Number(n.dataset.allocated), Number(n.dataset.executed)])""",
                dimension,
            )
            rows: list[list[str]] = await page.evaluate(
                """(d) => [...document.querySelectorAll(`[data-chart=${d}] .data-table tbody tr`)].map((r) =>
                    [...r.cells].map((c) => c.textContent))""",
                dimension,
            )
            assert len(rows) == len(shown) > 0
            for (allocated, executed), row in zip(shown, rows, strict=True):
                assert row[1:3] == [f"{allocated:,}원", f"{executed:,}원"]
                assert row[0] in label and f"배정 {allocated:,}원, 집행 {executed:,}원" in label
            assert await page.locator(f"[data-chart={dimension}] .data-table caption").count() == 1


async def test_everything_works_by_keyboard(db: str) -> None:
    await load_sample_data()
    _, partner = await tokens.create(name="광주하남교육지원청", role=Role.PARTNER)
    app = create_app(make_settings(db), manage_database=False)
    async with serving(app) as base_url, chromium() as browser:
        page = (await offline_page(browser, base_url)).page
        await _open_dashboard(page, base_url)

        # Tab from the top visits the skip link, the token box and every chart's table, in that order,
        # each with a visible focus ring, and nothing else holds focus on the way.
        visited = []
        for _ in range(7):
            await page.keyboard.press("Tab")
            focused = await _focused(page)
            assert focused["outline"] != "none", focused
            visited.append(focused)
        assert [f["id"] or f["text"] for f in visited[:2]] == ["본문 바로가기", "token-summary"]
        assert [f["card"] for f in visited[2:]] == DIMENSIONS
        assert all(f["text"] == "표로 보기" for f in visited[2:])

        # The skip link shows when focused; Enter jumps past the header to the figures.
        await page.evaluate("document.activeElement.blur()")
        hidden = await page.locator(".skip-link").bounding_box()
        assert hidden is not None and hidden["y"] + hidden["height"] <= 0  # off screen until focused
        await page.focus(".skip-link")
        await page.wait_for_timeout(50)
        shown = await page.locator(".skip-link").bounding_box()
        assert shown is not None and shown["y"] >= 0
        await page.keyboard.press("Enter")
        assert (await _focused(page))["id"] == "main"

        # A table opens with Enter.
        await page.focus("[data-chart=FUNDER] .data-table summary")
        await page.keyboard.press("Enter")
        assert await page.locator("[data-chart=FUNDER] .data-table table").is_visible()

        # The token box: Enter opens it, Escape closes it and focus returns to it.
        await page.focus("#token-summary")
        await page.keyboard.press("Enter")
        assert await page.locator("#token-input").is_visible()
        await page.keyboard.press("Escape")
        assert not await page.locator("#token-input").is_visible()
        assert (await _focused(page))["id"] == "token-summary"

        # And a partner token typed in and sent with Enter shows the changes, focus kept on the box.
        await page.keyboard.press("Enter")
        await page.keyboard.press("Tab")
        assert (await _focused(page))["id"] == "token-input"
        await page.keyboard.type(partner)
        await page.keyboard.press("Enter")
        await page.wait_for_selector("#changes-card", state="visible")
        assert await page.text_content("#token-summary") == "파트너 토큰 사용 중"
        assert (await _focused(page))["id"] == "token-summary"
