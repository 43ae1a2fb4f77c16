"""`/healthz`: 200 {"status": "ok"} when the database answers a trivial query, else 503."""

from __future__ import annotations

import logging

import orjson
from starlette.requests import Request
from starlette.responses import Response
from tortoise.connection import get_connection

logger = logging.getLogger(__name__)


async def healthz(request: Request) -> Response:
    try:
        await get_connection("default").execute_query("SELECT 1")
    except Exception as error:
        logger.warning("health check failed: %s", error)
        body = {"status": "unavailable", "database": type(error).__name__}
        return Response(orjson.dumps(body), status_code=503, media_type="application/json")
    return Response(orjson.dumps({"status": "ok"}), media_type="application/json")
