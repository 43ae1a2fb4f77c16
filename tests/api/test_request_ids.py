"""Every response names its request id: the caller's when sane, a fresh one otherwise."""

from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from logs.request_id import HEADER
from tests.api.api_kit import make_settings


async def _post(db: str, headers: dict[str, str]) -> httpx.Response:
    app = create_app(make_settings(db), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        return await client.post("/graphql", json={"query": "{ schools { totalCount } }"}, headers=headers)


async def test_the_callers_request_id_is_echoed(db: str) -> None:
    response = await _post(db, {HEADER: "client-42"})
    assert response.status_code == 200 and response.headers[HEADER] == "client-42"


@pytest.mark.parametrize("offered", ["x" * 200, "a b", '"}{"level":"ERROR'])
async def test_a_hostile_request_id_is_replaced(db: str, offered: str) -> None:
    response = await _post(db, {HEADER: offered})
    assert response.status_code == 200
    assert response.headers[HEADER] != offered and len(response.headers[HEADER]) == 32


async def test_a_request_without_one_gets_one(db: str) -> None:
    first, second = await _post(db, {}), await _post(db, {})
    assert len(first.headers[HEADER]) == 32 and first.headers[HEADER] != second.headers[HEADER]
