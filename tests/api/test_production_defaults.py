"""ENVIRONMENT=production is safe by default (issue 15, item 5).

Introspection, GraphiQL and "Did you mean ...?" hints are off unless asked for, request bodies
have a byte limit, and the sheet webhook has a rate limit: excess calls get 429 and wake no sync
cycle, within one process and across processes sharing Redis.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api import webhook
from api.app import create_app
from api.live.runtime import live_runtime
from api.settings import Environment, Settings
from pubsub import MemoryPubSub, channels
from tests.api.api_kit import make_settings

PRODUCTION: dict[str, Any] = {"environment": Environment.PRODUCTION, "sheets_api_url": "http://127.0.0.1:9/"}
SECRET = "production-webhook-secret"
REDIS_URL = os.environ["TEST_REDIS_URL"]  # set by tests/conftest.py


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    # Settings and the HTTP surface: one engine is enough.
    shutil.copy(sqlite_template, tmp_path / "eduhub.sqlite3")
    return f"sqlite://{tmp_path / 'eduhub.sqlite3'}"


def test_production_switches_the_schema_description_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    development = Settings(_env_file=None)
    assert (development.graphiql, development.introspection, development.field_suggestions) == (
        True,
        True,
        True,
    )
    production = Settings(_env_file=None, **PRODUCTION)
    assert (production.graphiql, production.introspection, production.field_suggestions) == (
        False,
        False,
        False,
    )
    assert production.max_request_bytes == 1_048_576
    assert production.sheets_webhook_rate_limit == "20/minute"
    # Explicitly asked for, from the environment as an operator would: then it is on.
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SHEETS_API_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("GRAPHIQL", "true")
    asked = Settings(_env_file=None)
    assert (asked.graphiql, asked.introspection, asked.field_suggestions) == (True, False, False)


def test_a_bad_webhook_rate_is_refused_at_startup() -> None:
    with pytest.raises(ValueError, match="SHEETS_WEBHOOK_RATE_LIMIT"):
        Settings(_env_file=None, sheets_webhook_rate_limit="lots")


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    return (await client.post("/graphql", json={"query": query, "variables": variables or {}})).json()


@pytest.fixture
async def production(db: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(db, **PRODUCTION), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        yield client


HINTED = [
    ("{ schol { name } }", None),  # an unknown field
    ("{ schools(frist: 1) { totalCount } }", None),  # an unknown argument
    ("{ schools(filter: {levels: [HIG]}) { totalCount } }", None),  # an enum value in a literal
    ("query($f: SchoolFilter) { schools(filter: $f) { totalCount } }", {"f": {"codez": ["X"]}}),  # a variable
    ("query($f: SchoolFiltr) { schools(filter: $f) { totalCount } }", None),  # an unknown type
]


async def test_production_answers_no_schema_description(production: httpx.AsyncClient, db: str) -> None:
    introspection = await _post(production, "{ __schema { types { name } } }")
    assert introspection.get("data") is None
    assert "introspection" in introspection["errors"][0]["message"].lower()
    page = await production.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "graphiql" not in page.text.lower()
    for query, variables in HINTED:
        body = await _post(production, query, variables)
        message = body["errors"][0]["message"]
        assert "Did you mean" not in message, message
        assert "'schools'" not in message and "'codes'" not in message and "'HIGH'" not in message, message
    # The same requests in development do name their neighbours: the hint is really removed.
    development = create_app(make_settings(db), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(development), base_url="http://t") as client:
        for query, variables in HINTED:
            body = await _post(client, query, variables)
            assert "Did you mean" in body["errors"][0]["message"], (query, body)


async def test_production_limits_request_bodies(production: httpx.AsyncClient) -> None:
    response = await production.post(
        "/graphql", content=b" " * (2 * 2**20), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def _hook_app(**overrides: Any) -> Starlette:
    app = Starlette(routes=webhook.routes)
    app.state.settings = make_settings("sqlite://:memory:", sheets_webhook_secret=SECRET, **overrides)
    return app


async def _flood(app: Starlette, calls: int) -> list[httpx.Response]:
    headers = {webhook.SECRET_HEADER: SECRET}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await asyncio.gather(*(client.post("/hooks/sheets", headers=headers) for _ in range(calls)))


@pytest.fixture
async def wakes() -> AsyncIterator[list[bytes]]:
    """Every `sync-wake` message published while the test runs (each could start a cycle)."""
    pubsub = MemoryPubSub()
    heard: list[bytes] = []
    async with live_runtime(pubsub), pubsub.subscribe(channels.SYNC_WAKE) as messages:

        async def listen() -> None:
            async for message in messages:
                heard.append(message)

        task = asyncio.create_task(listen())
        yield heard
        task.cancel()


async def test_two_hundred_webhook_calls_wake_only_the_allowed_number(wakes: list[bytes]) -> None:
    # The issue's flood: 200 calls at once against the default 20/minute.
    responses = await _flood(_hook_app(), 200)
    statuses = [r.status_code for r in responses]
    assert statuses.count(202) == 20
    assert statuses.count(429) == 180
    refused = next(r for r in responses if r.status_code == 429)
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "웹훅 호출이 너무 잦습니다" in refused.json()["message"]
    await asyncio.sleep(0.05)
    assert len(wakes) == 20
    # Calls with a wrong secret are refused without spending the budget.
    app = _hook_app(sheets_webhook_rate_limit="2/minute")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        for _ in range(5):
            assert (
                await client.post("/hooks/sheets", headers={webhook.SECRET_HEADER: "x"})
            ).status_code == 401
    assert [r.status_code for r in await _flood(app, 3)].count(202) == 2


async def test_web_processes_sharing_redis_share_one_webhook_budget(wakes: list[bytes]) -> None:
    # Two apps stand for two web processes: each has its own limiter, the budget is in Redis.
    apps = [_hook_app(redis_url=REDIS_URL, sheets_webhook_rate_limit="7/minute") for _ in range(2)]
    first = webhook.WebhookLimiter(apps[0].state.settings)
    await first.window.clear(first.item, webhook.RATE_KEY)  # a previous run's window
    await first.aclose()
    try:
        results = await asyncio.gather(*(_flood(app, 10) for app in apps))
        accepted = sum(r.status_code == 202 for responses in results for r in responses)
        assert accepted == 7
        await asyncio.sleep(0.05)
        assert len(wakes) == 7
    finally:
        for app in apps:
            await app.state.webhook_limiter.aclose()
