"""A sheet webhook call's request id follows the wake into the worker's cycle logs."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from starlette.applications import Starlette

from api import webhook
from api.edge import Edge
from api.live.runtime import live_runtime
from api.settings import Settings
from logs.request_id import HEADER, RequestIdFilter
from pubsub import MemoryPubSub
from sync.wake import Wake
from sync.worker import run_worker
from tests.conftest import WEBHOOK_SECRET
from tests.sync.conftest import World, until

SECRET = WEBHOOK_SECRET  # the `webhook_secret` fixture sets it (tests/conftest.py)


async def test_the_woken_cycle_logs_under_the_webhook_request_id(
    world: World, db: str, webhook_secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RequestIdFilter())  # as logs.setup puts it on the process's handler
    caplog.set_level(logging.INFO, logger="sync.worker")
    settings = Settings(database_url=db, sheets_api_url=world.server.url, sync_interval_seconds=3600)
    app = Edge(Starlette(routes=webhook.routes))
    stop, wake = asyncio.Event(), Wake()
    async with live_runtime(MemoryPubSub(), wake=wake):
        worker = asyncio.create_task(run_worker(settings, stop=stop, wake=wake, name="w"))

        async def first_cycle_logged() -> bool:
            return any(r.name == "sync.worker" and "sync " in r.getMessage() for r in caplog.records)

        await until(first_cycle_logged, "the worker's first cycle")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post(
                "/hooks/sheets", headers={webhook.SECRET_HEADER: SECRET, HEADER: "hook-7f3a"}, json={}
            )
        assert response.status_code == 202 and response.headers[HEADER] == "hook-7f3a"

        async def woken_cycle_logged() -> bool:
            return any(getattr(r, "request_id", None) == "hook-7f3a" for r in caplog.records)

        await until(woken_cycle_logged, "the cycle the webhook woke logs under its request id")
        stop.set()
        await worker
    first = next(r for r in caplog.records if r.name == "sync.worker" and "sync " in r.getMessage())
    assert getattr(first, "request_id") is None  # noqa: B009 - the timer's cycle: no request woke it
