"""Health for orchestrators: `/livez` (the process serves), `/readyz` (it can do its work now).

Liveness never looks at dependencies: a database outage must not get every web process
restarted. Readiness asks the database and, when `REDIS_URL` is set, Redis (the change stream
reaches other processes through it), each within a short timeout, and answers 503 naming what
failed, so a balancer stops sending traffic until it recovers. `/healthz` stays the readiness
check under its old name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response
from tortoise.connection import get_connection

from pubsub import PubSub

logger = logging.getLogger(__name__)
CHECK_TIMEOUT_SECONDS = 2.0


def _json(body: dict[str, object], status_code: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")


async def livez(request: Request) -> Response:
    return _json({"status": "ok"})


async def readyz(request: Request) -> Response:
    checks: dict[str, Callable[[], Awaitable[object]]] = {"database": _database}
    pubsub: PubSub | None = getattr(request.state, "pubsub", None)  # the app's lifespan state
    if pubsub is not None and request.app.state.settings.redis_url:
        checks["redis"] = pubsub.ping
    failed: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, error)
            failed[name] = type(error).__name__
    if failed:
        return _json({"status": "unavailable", **failed}, status_code=503)
    return _json({"status": "ok"})


async def _database() -> None:
    await get_connection("default").execute_query("SELECT 1")
