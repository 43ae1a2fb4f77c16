"""Browser test kit: Debian's Chromium, a page cut off from every other host, axe-core.

Chromium is /usr/bin/chromium from Debian (scripts/test installs it); Playwright never downloads
a browser. axe-core comes inside the `axe-playwright-python` package, so it runs offline too.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, ConsoleMessage, Error, Page, Route, async_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# No `runOnly`: every rule axe enables by default runs, WCAG 2.0/2.1/2.2 A and AA (what KWCAG 2.2
# follows) and axe's best practices too, so 0 violations means more than the AA tags alone.
AXE_OPTIONS: dict[str, Any] = {"resultTypes": ["violations"]}


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


class OfflinePage:
    """A page that may reach `base_url`'s host only: what a closed office network (망분리) allows.

    `blocked` lists every request to another host (aborted), `problems` page errors, failed
    requests and CSP violations, so a test can assert the page needed nothing from elsewhere.
    """

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.origin = urlsplit(base_url).netloc
        self.blocked: list[str] = []
        self.problems: list[str] = []

    async def start(self) -> OfflinePage:
        await self.page.route("**/*", self._only_own_host)
        self.page.on("pageerror", self._page_error)
        self.page.on("console", self._console)
        # CSP violations reach the console too, but this names the directive that refused.
        await self.page.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) =>"
            " console.error(`CSP refused ${e.blockedURI || 'inline'} by ${e.violatedDirective}`))"
        )
        return self

    def _page_error(self, error: Error) -> None:
        self.problems.append(f"page error: {error}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    async def _only_own_host(self, route: Route) -> None:
        if urlsplit(route.request.url).netloc == self.origin:
            await route.continue_()
        else:
            self.blocked.append(route.request.url)
            await route.abort("internetdisconnected")


async def offline_page(browser: Browser, base_url: str, **options: Any) -> OfflinePage:
    return await OfflinePage(await browser.new_page(**options), base_url).start()


async def axe_violations(page: Page, context: Any = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (each with its rule id, impact and nodes)."""
    results = await Axe().run(page, context=context, options=AXE_OPTIONS)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violated rule and each offending element, for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node.get('failureSummary', '')}" for node in violation["nodes"])
    return "\n".join(lines)
