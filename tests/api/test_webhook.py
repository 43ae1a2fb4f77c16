"""The sheet webhook: refused without the right secret, wakes the worker with it."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from api import webhook
from api.live.runtime import live_runtime
from api.settings import get_settings
from pubsub import MemoryPubSub
from tests.conftest import WEBHOOK_SECRET

SECRET = WEBHOOK_SECRET  # the `webhook_secret` fixture sets it (tests/conftest.py)


@pytest.fixture
async def wake() -> AsyncIterator[asyncio.Event]:
    """A process running the worker: the wake relay sets this event."""
    event = asyncio.Event()
    async with live_runtime(MemoryPubSub(), wake=event):
        await asyncio.sleep(0)  # let the relay subscribe
        yield event


def _client() -> httpx.AsyncClient:
    app = Starlette(routes=webhook.routes)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_right_secret_wakes_the_worker(webhook_secret: str, wake: asyncio.Event) -> None:
    async with _client() as client:
        response = await client.post(
            "/hooks/sheets", headers={webhook.SECRET_HEADER: webhook_secret}, json={"changeType": "EDIT"}
        )
    assert response.status_code == 202
    await asyncio.wait_for(wake.wait(), 5)


@pytest.mark.parametrize("given", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
async def test_wrong_or_missing_secret_is_refused_and_wakes_nothing(
    webhook_secret: str, wake: asyncio.Event, given: str | None
) -> None:
    headers = {} if given is None else {webhook.SECRET_HEADER: given}
    async with _client() as client:
        response = await client.post("/hooks/sheets", headers=headers)
    assert response.status_code == 401
    assert webhook.SECRET_HEADER in response.json()["message"]
    await asyncio.sleep(0.05)
    assert not wake.is_set()


async def test_hook_is_absent_while_no_secret_is_configured(
    monkeypatch: pytest.MonkeyPatch, wake: asyncio.Event
) -> None:
    monkeypatch.delenv("SHEETS_WEBHOOK_SECRET", raising=False)
    get_settings.cache_clear()
    async with _client() as client:
        response = await client.post("/hooks/sheets", headers={webhook.SECRET_HEADER: ""})
    assert response.status_code == 404
    assert not wake.is_set()


async def test_get_is_not_allowed(webhook_secret: str) -> None:
    async with _client() as client:
        response = await client.get("/hooks/sheets", headers={webhook.SECRET_HEADER: webhook_secret})
    assert response.status_code == 405


def test_secret_comparison_is_constant_time() -> None:
    # Timing cannot be asserted reliably; assert the comparison is hmac.compare_digest instead.
    assert "hmac.compare_digest" in inspect.getsource(webhook.sheets_hook)
