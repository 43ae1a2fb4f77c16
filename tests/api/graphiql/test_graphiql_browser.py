"""GraphiQL on `/graphql` in headless Chromium with every other host blocked (a closed network).

Strawberry's own page loads React and GraphiQL from a CDN and stays on "Loading..." offline;
ours loads the vendored copies (`api/graphiql`, `scripts/vendor-graphiql`).
"""

from __future__ import annotations

import pytest

from api.app import create_app
from models.sample_data import load_sample_data
from models.school import School
from tests.api.api_kit import make_settings, serving
from tests.api.browser_kit import chromium, offline_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # What is tested is the page, not the engine: SQLite alone keeps the browser run short.
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

QUERY = "{ schools(first: 2, orderBy: [{field: CODE}]) { nodes { code name } } }"
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
        await page.keyboard.insert_text(QUERY)
        await page.keyboard.press("Control+Enter")
        await page.wait_for_function(
            "(selector) => document.querySelector(selector)?.CodeMirror.getValue().includes('\"nodes\"')",
            arg=RESPONSE,
        )
        response = await page.evaluate(f"document.querySelector({RESPONSE!r}).CodeMirror.getValue()")
        assert first.name in response and first.code in response

        # The schema loaded too (introspection over the same local fetcher): the docs explorer has it.
        await page.click("button[aria-label='Show Documentation Explorer']")
        await page.wait_for_selector(".graphiql-doc-explorer-root-types, .graphiql-doc-explorer-title")

        assert offline.blocked == [], "GraphiQL asked another host for something"
        assert offline.problems == []
