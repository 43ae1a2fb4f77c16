"""The Starlette application: Google's URL layout, auth, quotas, faults and the request log.

Google's paths put verbs after a colon (``values/A1:B2:append``) and percent-encode ranges, so
one endpoint matches the raw path against a route table instead of Starlette's path converters.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import auth, data_filter_routes, defaults, drive_routes, errors, page, sheets_routes
from .control import control
from .emulator import Emulator
from .faults import Fault
from .routing import ApiRoute, Call, json_response

# Sheets and Drive paths share no prefix, so only the order within each table matters; the
# ByDataFilter verbs go first so that no values/... or :batchUpdate pattern can claim them.
_ROUTES: list[ApiRoute] = [
    *data_filter_routes.api.routes,
    *sheets_routes.api.routes,
    *drive_routes.api.routes,
]


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise errors.invalid_argument("Invalid JSON payload received.") from None


class _Dropped(Response):
    """Starts a response and then abandons it, so the client sees a broken connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"1024")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"partial": ', "more_body": True})


async def dispatch(request: Request) -> Response:
    emulator: Emulator = request.app.state.emulator
    # raw_path keeps %2F inside ranges distinguishable; Starlette's path is already decoded.
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = unquote(raw.decode("latin-1").split("?", 1)[0])
    route, match = _route(request.method, path)
    if route is None or match is None:
        return json_response(errors.not_found().body, 404)
    user = auth.bearer_user(request)
    params = dict(request.query_params)
    multi = {k: request.query_params.getlist(k) for k in request.query_params}
    status = 500
    try:
        fired = emulator.faults.pick(route.name)
        if dropped := await _fire(emulator, route, [f for f in fired if f.stage == "before"]):
            status = 0
            return dropped
        if user is None:
            raise errors.unauthenticated()
        if route.kind in {"read", "write"}:
            emulator.quota.charge(user, write=route.kind == "write")
        body = await _body(request)
        with emulator.store.lock:
            response = await route.handler(Call(emulator, request, match, params, multi, body, user))
        status = response.status_code
        # "after" rules: the request is applied, the answer is late, lost or an error.
        if dropped := await _fire(emulator, route, [f for f in fired if f.stage == "after"]):
            status = 0
            return dropped
        return response
    except errors.ApiError as error:
        status = error.status
        return json_response(error.body, error.status)
    finally:
        emulator.record(route.name, user or "", status)


async def _fire(emulator: Emulator, route: ApiRoute, faults: list[Fault]) -> Response | None:
    """Apply fired fault rules in order: wait, raise the API error, or return a dropped answer."""
    for fault in faults:
        if fault.kind in {"latency", "hold"}:
            if not await emulator.faults.wait(fault, route.name):
                return _Dropped()
        elif fault.kind == "drop":
            return _Dropped()
        elif fault.kind == "quota":
            limits = emulator.quota.limits
            raise errors.quota_exceeded(
                write=route.kind == "write",
                per_user=True,
                limit=limits.write_per_user if route.kind == "write" else limits.read_per_user,
                project_number=defaults.PROJECT_NUMBER,
            )
        elif fault.kind == "error":
            raise errors.server_error(fault.status)
    return None


def _route(method: str, path: str) -> tuple[ApiRoute | None, re.Match[str] | None]:
    for route in _ROUTES:
        if route.http_method == method:
            match = route.pattern.match(path)
            if match:
                return route, match
    return None, None


def build_app(emulator: Emulator) -> Starlette:
    """The ASGI app for ``emulator``: Google's API paths, the token endpoint, the HTML page."""
    routes = [
        Route("/token", auth.token, methods=["POST"]),
        Route("/__emulator/{action}", control, methods=["GET", "POST", "DELETE"]),
        *page.routes(),
        Route("/{path:path}", dispatch, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.emulator = emulator
    return app
