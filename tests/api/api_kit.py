"""API test kit: settings for a test database, the type of the `gql` fixture, a real server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import uvicorn

from api.settings import Settings

Gql = Callable[..., Awaitable[dict[str, Any]]]


def make_settings(database_url: str, **overrides: Any) -> Settings:
    settings: Settings = Settings(database_url=database_url, _env_file=None, **overrides)
    return settings


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """`app` under a real uvicorn (httptools, websockets) in this test's event loop: its base URL.

    The lifespan runs (live updates, pub/sub); Tortoise stays the test's (`manage_database=False`).
    """
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws="websockets-sansio")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(1000):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        # A test that failed may leave a socket open: uvicorn would wait for it for ever.
        done, _ = await asyncio.wait([task], timeout=5)
        if not done:
            server.force_exit = True
            await task
