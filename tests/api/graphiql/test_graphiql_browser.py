"""GraphiQL on `/graphql` in headless Chromium with every other host blocked (a closed network).

Strawberry's own page loads React and GraphiQL from a CDN and stays on "Loading..." offline;
ours loads the vendored copies (`api/graphiql`, `scripts/vendor-graphiql`). axe-core finds no
violation on it either (light theme; `graphiql-page.css` and `graphiql-page.js` say what they fix).
"""

from __future__ import annotations

import pytest

from api.app import create_app
from models.sample_data import load_sample_data
from models.school import School
from tests.api.api_kit import make_settings, serving
from tests.api.browser_kit import axe_violations, chromium, describe, offline_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # What is tested is the page, not the engine: SQLite alone keeps the browser run short.
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

EDITOR = ".graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-response .CodeMirror"


async def test_a_query_typed_in_graphiql_runs_with_other_hosts_blocked(db: str) -> None:
    await load_sample_data()
    first = await School.all().order_by("code").first()
    assert first is not None
    app = create_app(make_settings(db), manage_database=False)

    async with serving(app) as base_url, chromium() as browser:
        offline = await offline_page(browser, base_url)
        page = offline.page
        await page.goto(f"{base_url}/graphql")
        await page.wait_for_selector(EDITOR)
        assert await page.title() == "GraphiQL · Hanam Education Hub"

        # Type the query as a user would: select the example, replace it, run with Ctrl-Enter.
        await page.click(f"{EDITOR} .CodeMirror-lines")
        await page.keyboard.press("Control+A")
        await page.keyboard.insert_text(f'{{ school(code: "{first.code}") {{ code name students }} }}')
        await page.keyboard.press("Control+Enter")
        await page.wait_for_function(
            "(selector) => document.querySelector(selector)?.CodeMirror.getValue().includes('\"school\"')",
            arg=RESPONSE,
        )
        response = await page.evaluate(f"document.querySelector({RESPONSE!r}).CodeMirror.getValue()")
        assert first.name in response and f'"students": {first.students}' in response
        violations = await axe_violations(page)
        assert violations == [], f"after a query:\n{describe(violations)}"

        # The schema loaded too (introspection over the same local fetcher): the docs explorer has it.
        await page.click("button[aria-label='Show Documentation Explorer']")
        await page.wait_for_selector(".graphiql-doc-explorer-root-types, .graphiql-doc-explorer-title")
        violations = await axe_violations(page)
        assert violations == [], f"documentation explorer open:\n{describe(violations)}"

        # The explorer plugin's panel, from the same vendored files.
        await page.click("button[aria-label='Show GraphiQL Explorer']")
        await page.wait_for_selector(".graphiql-explorer-actions select")
        violations = await axe_violations(page)
        assert violations == [], f"explorer open:\n{describe(violations)}"

        assert offline.blocked == [], "GraphiQL asked another host for something"
        assert offline.problems == []
