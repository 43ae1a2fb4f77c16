"""The partner dashboard in headless Chromium: same figures as GraphQL, live without reload.

Needs Debian's `chromium` at /usr/bin/chromium (never downloaded by Playwright). When it is
missing the test fails, by design: the dashboard is not tested otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.async_api import Page, async_playwright

from api.app import create_app
from api.live.sync_status import cycle_finished
from api.settings import Settings
from models import sync_cycle
from models.enums import Role
from models.sample_data import load_sample_data
from models.services import tokens
from models.sync_state import SyncCursor
from tests.api.browser_kit import CHROMIUM, CHROMIUM_ARGS
from tests.api.dashboard.dashboard_kit import enter_token_and_change_a_line, graphql

SCREENSHOT = Path(__file__).resolve().parents[3] / "artifacts" / "dashboard.png"
DIMENSIONS = ["CATEGORY", "FUNDER", "FISCAL_YEAR", "LEVEL", "DISTRICT"]
GROUP = "keys { value } allocated executed"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
async def base_url(db: str) -> AsyncIterator[str]:
    """The real app (dashboard, webhook, live updates) under uvicorn in this test's loop."""
    settings = Settings(database_url=db)
    app = create_app(settings, manage_database=False)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws="websockets-sansio")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(1000):
        if server.started:
            break
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def _figures_from_graphql(base_url: str) -> dict[str, list[tuple[str, int, int]]]:
    fields = " ".join(f"{d}: budgetSummary(groupBy: [{d}]) {{ {GROUP} }}" for d in DIMENSIONS)
    data = await graphql(base_url, f"{{ {fields} }}")
    return {
        dimension: sorted(
            ("|".join(k["value"] or "∅" for k in g["keys"]), g["allocated"], g["executed"]) for g in groups
        )
        for dimension, groups in data.items()
    }


async def _figures_on_screen(page: Page) -> dict[str, list[tuple[str, int, int]]]:
    shown: dict[str, list[list[Any]]] = await page.evaluate(
        """(dimensions) => Object.fromEntries(dimensions.map((d) => [d,
            [...document.querySelectorAll(`#chart-${d} [data-key]`)].map((n) =>
                [n.dataset.key, Number(n.dataset.allocated), Number(n.dataset.executed)])]))""",
        DIMENSIONS,
    )
    # The page orders some charts its own way (largest first); the figures must be the same.
    return {d: sorted((str(k), int(a), int(e)) for k, a, e in rows) for d, rows in shown.items()}


async def test_dashboard_shows_graphql_figures_and_updates_live(base_url: str) -> None:
    await load_sample_data()
    _, staff = await tokens.create(name="하남시 담당자", role=Role.STAFF)
    expected = await _figures_from_graphql(base_url)
    assert all(expected[d] for d in DIMENSIONS)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 1100}, device_scale_factor=1)
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        await page.goto(f"{base_url}/dashboard")
        await page.wait_for_selector("#live[data-state=open]")
        await page.wait_for_selector("#chart-DISTRICT [data-key]")
        await page.evaluate("window.__sameDocument = true")

        assert await _figures_on_screen(page) == expected
        total = await graphql(base_url, "{ budgetSummary(groupBy: []) { allocated executed } }")
        assert (
            await page.text_content("#kpi-allocated-full") == f"{total['budgetSummary'][0]['allocated']:,}원"
        )
        assert await page.title() == "하남 교육협력 예산 현황"

        # Freshness is shown to anonymous visitors too: no sync yet, then a worker's cycle.
        await page.wait_for_selector("#freshness.pill-bad")
        assert "기록이 없습니다" in (await page.text_content("#sync-cycles tbody") or "")
        cycle_id = await sync_cycle.start("sample")
        await sync_cycle.finish(cycle_id, {"sheet->db": 3, "created": 2, "db->sheet": 4, "appended": 1})
        now = datetime.now(UTC)
        await SyncCursor.create(spreadsheet_key="sample", last_cycle_at=now, last_success_at=now)
        await cycle_finished("sample")
        await page.wait_for_selector("#freshness.pill-ok")
        assert "시트 동기화" in (await page.text_content("#freshness") or "")
        # The detail is on screen, not only in a mouse-over title (keyboard users read it too).
        assert "마지막 성공" in (await page.text_content("#freshness .pill-detail") or "")
        # The panel's history (시트 동기화 기록): the cycle with its counts each way, in Korean.
        row = await page.wait_for_selector(f"#sync-cycles tr[data-cycle='{cycle_id}']")
        assert row is not None
        cells = [await c.text_content() for c in await row.query_selector_all("td")]
        assert cells[0] == f"#{cycle_id}" and cells[2] == "성공"
        assert cells[3:9] == ["3건", "2건", "0건", "5건", "0건", "–"]
        assert await page.text_content("#cycles-title") == "시트 동기화 기록"
        # A cycle whose worker stopped before the end (lease lost, crash) says so, marked like a failure.
        left = await sync_cycle.start("sample")
        await sync_cycle.abandon_left_running("sample")  # as the next holder's cycle does, which
        later = datetime.now(UTC)  # also moves the cursor on (what makes the status news)
        await SyncCursor.filter(spreadsheet_key="sample").update(last_cycle_at=later, last_success_at=later)
        await cycle_finished("sample")
        row = await page.wait_for_selector(f"#sync-cycles tr[data-cycle='{left}']")
        assert row is not None and await row.get_attribute("class") == "cycle-failed"
        assert [await c.text_content() for c in await row.query_selector_all("td")][2] == "중단됨"

        # A staff member changes one executed amount through the GraphQL mutation.
        line = (
            await graphql(
                base_url,
                "{ budgetLines(first: 1) { edges { node { id funder allocated executed } } } }",
                staff,
            )
        )["budgetLines"]["edges"][0]["node"]
        new_executed = line["allocated"] if line["executed"] != line["allocated"] else 0
        result = await graphql(
            base_url,
            "mutation($input: BudgetLineUpdateInput!) "
            "{ budgetLineUpdate(input: $input) { userErrors { message } } }",
            staff,
            input={"id": line["id"], "executed": new_executed},
        )
        assert result["budgetLineUpdate"]["userErrors"] == []
        funder_before = dict((k, e) for k, _, e in expected["FUNDER"])[line["funder"]]
        want = funder_before - line["executed"] + new_executed
        await page.wait_for_function(
            "([key, want]) => "
            "document.querySelector(`#chart-FUNDER [data-key='${key}']`)?.dataset.executed === want",
            arg=[line["funder"], str(want)],
        )
        # Same document (no reload), and the screen again equals GraphQL. Each chart is its own
        # subscription, so the others may land a moment after the funder chart: wait for them.
        assert await page.evaluate("window.__sameDocument") is True
        wanted = await _figures_from_graphql(base_url)
        for _ in range(200):  # a bound on attempts, not a timing assertion
            if await _figures_on_screen(page) == wanted:
                break
            await asyncio.sleep(0.05)
        assert await _figures_on_screen(page) == wanted
        assert problems == []

        SCREENSHOT.parent.mkdir(exist_ok=True)
        await page.wait_for_timeout(1700)  # let the highlight fade so the screenshot shows the figures
        await page.screenshot(path=str(SCREENSHOT), full_page=True)
        await browser.close()
    assert SCREENSHOT.stat().st_size > 10_000


async def test_a_partner_token_entered_on_the_page_shows_changes_and_a_wrong_one_is_refused(
    base_url: str,
) -> None:
    await load_sample_data()
    _, partner = await tokens.create(name="광주하남교육지원청", role=Role.PARTNER)
    _, staff = await tokens.create(name="하남시 담당자", role=Role.STAFF)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await page.goto(f"{base_url}/dashboard")
        await page.wait_for_selector("#live[data-state=open]")
        assert await page.is_hidden("#changes-card")  # anonymous: aggregates only

        await page.click("#token-summary")
        await enter_token_and_change_a_line(page, base_url, partner, staff)
        assert await page.text_content("#token-summary") == "파트너 토큰 사용 중"
        item = await page.wait_for_selector("#changes li")
        assert item is not None and "하남시 담당자" in (await item.text_content() or "")

        # A wrong token: said so in Korean, the page falls back to the public view.
        if not await page.is_visible("#token-input"):
            await page.click("#token-summary")
        await page.fill("#token-input", "ehub_this-is-not-a-token")
        await page.press("#token-input", "Enter")
        await page.wait_for_function(
            "() => document.querySelector('#token-message').textContent.includes('토큰이 올바르지 않거나')"
        )
        await page.wait_for_selector("#changes-card", state="hidden")
        await page.wait_for_selector("#live[data-state=open]")
        assert await page.text_content("#token-summary") == "파트너 토큰"
        await browser.close()


ACTIVITY = (
    "{ activitySummary(groupBy: [CATEGORY]) { keys { value } sessions participants wonPerParticipant } }"
)


async def _activity_from_graphql(base_url: str) -> list[tuple[str, int, int, str]]:
    groups = (await graphql(base_url, ACTIVITY))["activitySummary"]
    return sorted(
        (
            g["keys"][0]["value"],
            g["sessions"],
            g["participants"],
            "" if g["wonPerParticipant"] is None else str(g["wonPerParticipant"]),
        )
        for g in groups
    )


async def _activity_on_screen(page: Page) -> list[tuple[str, int, int, str]]:
    rows: list[list[Any]] = await page.evaluate(
        """() => [...document.querySelectorAll('#activity-rows tr')].map((r) =>
            [r.dataset.key, Number(r.dataset.sessions), Number(r.dataset.participants),
             r.dataset.wonPerParticipant])"""
    )
    return sorted((str(k), int(s), int(p), str(w)) for k, s, p, w in rows)


async def test_the_activity_panel_shows_graphql_figures_and_a_new_session_live(base_url: str) -> None:
    await load_sample_data()
    _, staff = await tokens.create(name="하남시 담당자", role=Role.STAFF)
    expected = await _activity_from_graphql(base_url)
    assert len(expected) >= 5

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 1100})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        await page.goto(f"{base_url}/dashboard")
        await page.wait_for_selector("#live[data-state=open]")
        await page.wait_for_selector("#activity-rows tr")
        assert await _activity_on_screen(page) == expected
        assert await page.text_content("#activity-title") == "운영 실적"
        assert "1인당 집행액" in (await page.text_content("#activity-table thead") or "")
        total = sum(participants for _, _, participants, _ in expected)
        assert f"참여 {total:,}명" in (await page.text_content("#activity-total") or "")

        # Staff record a session of 50 middle school pupils: the panel follows, no reload.
        program = (
            await graphql(
                base_url,
                "{ programs(filter: {categories: [SHARED_SCHOOL], fiscalYears: [2025]}, first: 1)"
                " { nodes { code } } }",
            )
        )["programs"]["nodes"][0]["code"]
        result = await graphql(
            base_url,
            "mutation($input: ProgramSessionCreateInput!) "
            "{ programSessionCreate(input: $input) { userErrors { message } } }",
            staff,
            input={"programCode": program, "heldOn": "2025-11-20", "place": "미사도서관(예시)", "middle": 50},
        )
        assert result["programSessionCreate"]["userErrors"] == []
        before = dict((key, participants) for key, _, participants, _ in expected)["SHARED_SCHOOL"]
        await page.wait_for_function(
            "(want) => document.querySelector(\"#activity-rows tr[data-key='SHARED_SCHOOL']\")"
            "?.dataset.participants === want",
            arg=str(before + 50),
        )
        assert await _activity_on_screen(page) == await _activity_from_graphql(base_url)
        assert problems == []
        await browser.close()
