"""/livez answers while the process serves; /readyz (and /healthz) only while the database and,
when configured, Redis answer, naming what failed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from tests.api.api_kit import make_settings, serving
from tests.redis_kit import PrivateRedis, start_redis


async def _get(app: Starlette, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        return await client.get(path)


async def test_liveness_ignores_an_unreachable_database() -> None:
    # No Tortoise at all (the `db` fixture is not used): the database cannot answer.
    app = create_app(make_settings("sqlite://:memory:"), manage_database=False)
    assert (await _get(app, "/livez")).json() == {"status": "ok"}
    for path in ("/readyz", "/healthz"):
        ready = await _get(app, path)
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable" and "database" in ready.json()


async def test_ready_when_the_database_answers(db: str) -> None:
    app = create_app(make_settings(db), manage_database=False)
    for path in ("/livez", "/readyz", "/healthz"):
        response = await _get(app, path)
        assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.fixture
def own_redis() -> Iterator[PrivateRedis]:
    """A Redis of this test's own (the worker's one must keep running for the other tests)."""
    redis = start_redis()
    try:
        yield redis
    finally:
        redis.stop()


async def test_not_ready_while_redis_is_down(db: str, own_redis: PrivateRedis) -> None:
    app = create_app(make_settings(db, redis_url=own_redis.url), manage_database=False)
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        assert (await client.get("/readyz")).json() == {"status": "ok"}
        own_redis.process.kill()
        await asyncio.to_thread(own_redis.process.wait)
        down = await client.get("/readyz")
        assert down.status_code == 503 and "redis" in down.json() and "database" not in down.json()
        assert (await client.get("/livez")).status_code == 200
