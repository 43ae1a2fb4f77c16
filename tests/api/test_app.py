"""create_app: the lifespan owns Tortoise; routes and lifespan hooks plug in without editing the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from api.app import create_app
from tests.api.api_kit import make_settings


async def test_lifespan_opens_the_database_runs_hooks_in_order_and_closes(database_url: str) -> None:
    events: list[str] = []

    def hook(name: str) -> Any:
        @asynccontextmanager
        async def resource(app: Starlette) -> AsyncIterator[Mapping[str, Any]]:
            events.append(f"open {name}")
            yield {name: f"{name} resource"}
            events.append(f"close {name}")

        return resource

    async def hello(request: Request) -> Response:
        return PlainTextResponse(f"{request.state.pubsub} / {request.state.worker}")

    app = create_app(
        make_settings(database_url),
        extra_routes=[Route("/hello", hello)],
        lifespan_hooks=[hook("pubsub"), hook("worker")],
    )
    async with app.router.lifespan_context(app) as state:
        assert state is not None
        assert events == ["open pubsub", "open worker"]
        assert state["pubsub"] == "pubsub resource"
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            health = await client.get("/healthz")
            assert health.json() == {"status": "ok"}
        # ASGITransport does not pass lifespan state on; hand it over as a server would.
        scope_app = _with_state(app, dict(state))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(scope_app), base_url="http://testserver"
        ) as client:
            hello_response = await client.get("/hello")
        assert hello_response.text == "pubsub resource / worker resource"
    assert events == ["open pubsub", "open worker", "close worker", "close pubsub"]


def _with_state(app: Starlette, state: dict[str, Any]) -> Any:
    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        await app({**scope, "state": dict(state)}, receive, send)

    return asgi
