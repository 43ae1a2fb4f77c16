"""`POST /hooks/sheets`: a sheet changed, so start a sync cycle now instead of at the next poll.

Called by the Apps Script on-change trigger (docs/apps_script.md). The shared secret travels in
the `X-Eduhub-Webhook-Secret` header and is compared in constant time. The route answers 404
while `SHEETS_WEBHOOK_SECRET` is unset, so an unconfigured deployment exposes nothing.

The hook only publishes `sync-wake`; whichever process runs the worker (this one under
`eduhub serve`, another under `eduhub worker`) starts a cycle. Polling remains the fallback.

Accepted calls are rate limited (`SHEETS_WEBHOOK_RATE_LIMIT`, default 20/minute, one budget for
the whole deployment): an excess call gets 429 with `Retry-After` and publishes nothing, so a
flood of calls (a script in a loop, a leaked secret) never wakes extra cycles or spends the
Sheets API quota; the edits it announced still sync at the next poll.
"""

from __future__ import annotations

import hmac
import logging
import math
import time

import limits
import redis.asyncio as aioredis
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.settings import Settings, get_settings
from logs import request_id
from pubsub import channels
from schema.live.state import current_pubsub

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Eduhub-Webhook-Secret"  # noqa: S105 (a header name, not a secret)
# The hook needs no body; whatever Apps Script sends is read only this far.
MAX_BODY_BYTES = 4096
RATE_KEY = "eduhub:sheets-webhook"
RATE_LIMITED_MESSAGE = (
    "웹훅 호출이 너무 잦습니다. {seconds}초 뒤에 다시 보내 주세요(수정은 정기 동기화로 반영됩니다)."
)


class WebhookLimiter:
    """Accepted calls within `SHEETS_WEBHOOK_RATE_LIMIT`, counted in Redis when REDIS_URL is set.

    Built on `limits` (alisaifee/limits, the maintained library behind slowapi and
    Flask-Limiter): an exact moving window, and one Redis-backed budget shared by every web
    process, through the redis-py client the project already uses.
    """

    def __init__(self, settings: Settings) -> None:
        self.rate = settings.sheets_webhook_rate_limit
        self.item = limits.parse(self.rate)
        self._pool: aioredis.ConnectionPool | None = None
        storage: Storage = MemoryStorage()
        if settings.redis_url:
            # Our own pool, so `aclose()` can release it (limits would keep its client for ever).
            self._pool = aioredis.ConnectionPool.from_url(settings.redis_url)
            storage = RedisStorage(
                f"async+{settings.redis_url}",
                implementation="redispy",
                connection_pool=self._pool,  # type: ignore[arg-type]  # typed as str options only
            )
        self.window = MovingWindowRateLimiter(storage)

    async def allow(self) -> bool:
        """Count this call; False when it is over the limit (it must then wake nothing)."""
        return await self.window.hit(self.item, RATE_KEY)

    async def retry_after(self) -> int:
        """Whole seconds until the window frees a call."""
        stats = await self.window.get_window_stats(self.item, RATE_KEY)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()


async def sheets_hook(request: Request) -> JSONResponse:
    """Accept a change notice from the sheet and wake the sync worker."""
    settings = getattr(request.app.state, "settings", None) or get_settings()
    expected = settings.sheets_webhook_secret
    if not expected:
        return JSONResponse({"error": "not found"}, status_code=404)
    given = request.headers.get(SECRET_HEADER, "")
    # compare_digest takes the same time wherever the first difference is.
    if not hmac.compare_digest(given.encode(), expected.encode()):
        logger.warning("sheets webhook refused: wrong or missing secret from %s", _client(request))
        return JSONResponse(
            {"error": "unauthorized", "message": f"{SECRET_HEADER} 헤더의 비밀값이 맞지 않습니다."},
            status_code=401,
        )
    limiter = _limiter(request, settings)
    if not await limiter.allow():
        seconds = await limiter.retry_after()
        logger.warning("sheets webhook over its rate limit (%s): refused, nothing woken", limiter.rate)
        return JSONResponse(
            {"error": "rate_limited", "message": RATE_LIMITED_MESSAGE.format(seconds=seconds)},
            status_code=429,
            headers={"Retry-After": str(seconds)},
        )
    body = await _read_limited(request)
    await current_pubsub().publish(
        channels.SYNC_WAKE,
        # The request id travels with the wake: the cycle it starts logs under it (logs.request_id).
        channels.encode({"reason": "sheets-webhook", "bytes": len(body), "request_id": request_id.current()}),
    )
    return JSONResponse({"status": "accepted"}, status_code=202)


def _limiter(request: Request, settings: Settings) -> WebhookLimiter:
    # One per application (its budget and its Redis client), made on the first accepted call.
    limiter: WebhookLimiter | None = getattr(request.app.state, "webhook_limiter", None)
    if limiter is None or limiter.rate != settings.sheets_webhook_rate_limit:
        limiter = request.app.state.webhook_limiter = WebhookLimiter(settings)
    return limiter


async def _read_limited(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) >= MAX_BODY_BYTES:
            break
    return body[:MAX_BODY_BYTES]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


routes = [Route("/hooks/sheets", sheets_hook, methods=["POST"])]
