"""What the dashboard's browser tests share: GraphQL over HTTP, and a partner seeing a change."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import Page


async def graphql(base_url: str, query: str, secret: str | None = None, **variables: Any) -> dict[str, Any]:
    """POST one operation, asserting a 200 without errors; its `data`."""
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body: dict[str, Any] = response.json()
    assert response.status_code == 200, body
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


async def enter_token_and_change_a_line(page: Page, base_url: str, partner: str, staff: str) -> None:
    """Type the partner token into the open token box; once its live view runs, staff raise the
    first line's executed amount by 1,000 won (the page should then list the change)."""
    await page.fill("#token-input", partner)
    await page.press("#token-input", "Enter")
    await page.wait_for_selector("#changes-card", state="visible")
    await page.wait_for_selector("#live[data-state=open]")
    lines = await graphql(base_url, "{ budgetLines(first: 1) { nodes { id executed } } }", partner)
    line = lines["budgetLines"]["nodes"][0]
    await graphql(
        base_url,
        "mutation($input: BudgetLineUpdateInput!) "
        "{ budgetLineUpdate(input: $input) { userErrors { message } } }",
        staff,
        input={"id": line["id"], "executed": line["executed"] + 1000},
    )
