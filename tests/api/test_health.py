"""/livez answers while the process serves; /readyz (and /healthz) only while the database and,
when configured, Redis answer, naming what failed."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from sync.emulator.server import free_port
from tests.api.api_kit import make_settings, serving


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


@dataclass
class OwnRedis:
    port: int
    process: subprocess.Popen[bytes]


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    """A Redis of this test's own (the shared one must keep running for the other tests)."""
    server = shutil.which("redis-server")
    assert server, "redis-server is installed by scripts/test"
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        yield OwnRedis(port, process)
    finally:
        process.kill()
        process.wait(timeout=10)


async def _until_listening(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise AssertionError("the test's Redis did not start")


async def test_not_ready_while_redis_is_down(db: str, own_redis: OwnRedis) -> None:
    await _until_listening(own_redis.port)
    redis_url = f"redis://127.0.0.1:{own_redis.port}/0"
    app = create_app(make_settings(db, redis_url=redis_url), manage_database=False)
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        assert (await client.get("/readyz")).json() == {"status": "ok"}
        own_redis.process.kill()
        await asyncio.to_thread(own_redis.process.wait)
        down = await client.get("/readyz")
        assert down.status_code == 503 and "redis" in down.json() and "database" not in down.json()
        assert (await client.get("/livez")).status_code == 200
