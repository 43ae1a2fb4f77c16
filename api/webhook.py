"""`POST /hooks/sheets`: a sheet changed, so start a sync cycle now instead of at the next poll.

Called by the Apps Script on-change trigger (docs/apps_script.md). The shared secret travels in
the `X-Eduhub-Webhook-Secret` header and is compared in constant time. The route answers 404
while `SHEETS_WEBHOOK_SECRET` is unset, so an unconfigured deployment exposes nothing.

The hook only publishes `sync-wake`; whichever process runs the worker (this one under
`eduhub serve`, another under `eduhub worker`) starts a cycle. Polling remains the fallback.
"""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.live.runtime import current_pubsub
from api.pubsub import channels
from api.settings import get_settings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Eduhub-Webhook-Secret"  # noqa: S105 (a header name, not a secret)
# The hook needs no body; whatever Apps Script sends is read only this far.
MAX_BODY_BYTES = 4096


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
    body = await _read_limited(request)
    await current_pubsub().publish(
        channels.SYNC_WAKE, channels.encode({"reason": "sheets-webhook", "bytes": len(body)})
    )
    return JSONResponse({"status": "accepted"}, status_code=202)


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
