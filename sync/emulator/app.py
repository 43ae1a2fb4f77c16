"""The Starlette application: Google's URL layout, auth, quotas, faults and the request log.

Google's paths put verbs after a colon (``values/A1:B2:append``) and percent-encode ranges, so
one endpoint matches the raw path against a route table instead of Starlette's path converters.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import batch_update, defaults, drive, errors, page, resource, values
from .emulator import Emulator
from .faults import Fault
from .store import Spreadsheet, new_file_id

Params = dict[str, Any]


@dataclass
class Call:
    """One parsed API request handed to a handler."""

    emulator: Emulator
    request: Request
    match: re.Match[str]
    params: Params
    multi: dict[str, list[str]]
    body: Any
    user: str


Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True)
class ApiRoute:
    http_method: str
    pattern: re.Pattern[str]
    name: str
    kind: str  # "read", "write" (Sheets quota) or "drive" (no Sheets quota)
    handler: Handler


_ROUTES: list[ApiRoute] = []


def api(http_method: str, pattern: str, name: str, kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _ROUTES.append(ApiRoute(http_method, re.compile(pattern + "$"), name, kind, function))
        return function

    return register


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status_code=status, media_type="application/json; charset=UTF-8"
    )


def _flag(params: Params, key: str) -> bool:
    return str(params.get(key, "false")).lower() == "true"


def _sheet(call: Call) -> Spreadsheet:
    spreadsheet = call.emulator.store.get(call.match.group("id"))
    if spreadsheet is None:
        raise errors.not_found()
    if spreadsheet.restricted:
        raise errors.permission_denied()
    return spreadsheet


def _file(call: Call) -> Spreadsheet:
    file_id = call.match.group("id")
    spreadsheet = call.emulator.store.get(file_id)
    if spreadsheet is None or spreadsheet.restricted:
        raise errors.drive_not_found(file_id)
    return spreadsheet


def _input_option(params: Params) -> bool:
    option = params.get("valueInputOption")
    if option not in {"RAW", "USER_ENTERED"}:
        if option is None:
            raise errors.invalid_argument("'valueInputOption' is required but not specified")
        raise errors.invalid_argument(f"Invalid valueInputOption: {option}")
    return bool(option == "USER_ENTERED")


def _render(params: Params) -> dict[str, str]:
    return {
        "value_option": params.get("valueRenderOption", values.FORMATTED),
        "date_option": params.get("dateTimeRenderOption", values.SERIAL),
    }


# ----- Sheets -----

_ID = r"(?P<id>[^/:]+)"


@api("POST", r"/v4/spreadsheets", "sheets.spreadsheets.create", "write")
async def create_spreadsheet(call: Call) -> Response:
    body = call.body or {}
    title = (body.get("properties") or {}).get("title", "Untitled spreadsheet")
    tabs: dict[str, list[list[str]]] = {
        s["properties"]["title"]: [] for s in body.get("sheets", []) if s.get("properties", {}).get("title")
    }
    key = call.emulator.create_spreadsheet(title, tabs or None)
    spreadsheet = call.emulator.store.get(key)
    assert spreadsheet is not None
    return _json(
        resource.build(spreadsheet, include_grid=False, ranges=[], account=call.emulator.store.account_email)
    )


@api("GET", rf"/v4/spreadsheets/{_ID}", "sheets.spreadsheets.get", "read")
async def get_spreadsheet(call: Call) -> Response:
    body = resource.get(
        _sheet(call),
        include_grid=_flag(call.params, "includeGridData"),
        ranges=call.multi.get("ranges", []),
        mask=call.params.get("fields"),
        account=call.emulator.store.account_email,
    )
    return _json(body)


@api("POST", rf"/v4/spreadsheets/{_ID}:batchUpdate", "sheets.spreadsheets.batchUpdate", "write")
async def spreadsheet_batch_update(call: Call) -> Response:
    spreadsheet = _sheet(call)
    old_title = spreadsheet.title
    reply = batch_update.apply(spreadsheet, call.body or {}, account=call.emulator.store.account_email)
    if reply["replies"] or spreadsheet.title != old_title:
        call.emulator.store.touch(spreadsheet)
    return _json(reply)


@api(
    "POST",
    rf"/v4/spreadsheets/{_ID}/developerMetadata:search",
    "sheets.spreadsheets.developerMetadata.search",
    "read",
)
async def search_metadata(call: Call) -> Response:
    matched = batch_update.search_metadata(_sheet(call), (call.body or {}).get("dataFilters") or [])
    return _json({"matchedDeveloperMetadata": matched} if matched else {})


@api(
    "GET",
    rf"/v4/spreadsheets/{_ID}/developerMetadata/(?P<meta>\d+)",
    "sheets.spreadsheets.developerMetadata.get",
    "read",
)
async def get_metadata(call: Call) -> Response:
    wanted = int(call.match.group("meta"))
    found = next((m for m in _sheet(call).developer_metadata if m["metadataId"] == wanted), None)
    if found is None:
        raise errors.not_found()
    return _json(found)


@api("GET", rf"/v4/spreadsheets/{_ID}/values:batchGet", "sheets.spreadsheets.values.batchGet", "read")
async def values_batch_get(call: Call) -> Response:
    spreadsheet = _sheet(call)
    major = call.params.get("majorDimension", "ROWS")
    ranges = [
        values.get(spreadsheet, r, major=major, **_render(call.params)) for r in call.multi.get("ranges", [])
    ]
    return _json({"spreadsheetId": spreadsheet.id, "valueRanges": ranges})


@api("POST", rf"/v4/spreadsheets/{_ID}/values:batchUpdate", "sheets.spreadsheets.values.batchUpdate", "write")
async def values_batch_update(call: Call) -> Response:
    spreadsheet = _sheet(call)
    body = call.body or {}
    user_entered = _input_option(body)
    include = bool(body.get("includeValuesInResponse"))
    responses = []
    for index, item in enumerate(body.get("data") or []):
        responses.append(
            values.update(
                spreadsheet,
                item.get("range", ""),
                item,
                user_entered=user_entered,
                include_values=include,
                value_option=body.get("responseValueRenderOption", values.FORMATTED),
                date_option=body.get("responseDateTimeRenderOption", values.SERIAL),
                field=f"data[{index}].values",
            )
        )
    if responses:
        call.emulator.store.touch(spreadsheet)
    totals: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    counted = [r for r in responses if "updatedCells" in r]
    if counted:
        totals["totalUpdatedRows"] = sum(r["updatedRows"] for r in counted)
        totals["totalUpdatedColumns"] = sum(r["updatedColumns"] for r in counted)
        totals["totalUpdatedCells"] = sum(r["updatedCells"] for r in counted)
        totals["totalUpdatedSheets"] = len({r["updatedRange"].rsplit("!", 1)[0] for r in counted})
    if responses:
        totals["responses"] = responses
    return _json(totals)


@api("POST", rf"/v4/spreadsheets/{_ID}/values:batchClear", "sheets.spreadsheets.values.batchClear", "write")
async def values_batch_clear(call: Call) -> Response:
    spreadsheet = _sheet(call)
    cleared = [values.clear(spreadsheet, r) for r in (call.body or {}).get("ranges") or []]
    call.emulator.store.touch(spreadsheet)
    return _json({"spreadsheetId": spreadsheet.id, "clearedRanges": cleared})


@api(
    "POST",
    rf"/v4/spreadsheets/{_ID}/values/(?P<range>.+):append",
    "sheets.spreadsheets.values.append",
    "write",
)
async def values_append(call: Call) -> Response:
    spreadsheet = _sheet(call)
    reply = values.append(
        spreadsheet,
        call.match.group("range"),
        call.body or {},
        user_entered=_input_option(call.params),
        insert_rows=call.params.get("insertDataOption") == "INSERT_ROWS",
        include_values=_flag(call.params, "includeValuesInResponse"),
    )
    call.emulator.store.touch(spreadsheet)
    return _json(reply)


@api(
    "POST", rf"/v4/spreadsheets/{_ID}/values/(?P<range>.+):clear", "sheets.spreadsheets.values.clear", "write"
)
async def values_clear(call: Call) -> Response:
    spreadsheet = _sheet(call)
    cleared = values.clear(spreadsheet, call.match.group("range"))
    call.emulator.store.touch(spreadsheet)
    return _json({"spreadsheetId": spreadsheet.id, "clearedRange": cleared})


@api("GET", rf"/v4/spreadsheets/{_ID}/values/(?P<range>.+)", "sheets.spreadsheets.values.get", "read")
async def values_get(call: Call) -> Response:
    spreadsheet = _sheet(call)
    major = call.params.get("majorDimension", "ROWS")
    return _json(values.get(spreadsheet, call.match.group("range"), major=major, **_render(call.params)))


@api("PUT", rf"/v4/spreadsheets/{_ID}/values/(?P<range>.+)", "sheets.spreadsheets.values.update", "write")
async def values_update(call: Call) -> Response:
    spreadsheet = _sheet(call)
    body = call.body if isinstance(call.body, dict) else {}
    reply = values.update(
        spreadsheet,
        call.match.group("range"),
        body,
        user_entered=_input_option(call.params),
        include_values=_flag(call.params, "includeValuesInResponse"),
        value_option=call.params.get("responseValueRenderOption", values.FORMATTED),
        date_option=call.params.get("responseDateTimeRenderOption", values.SERIAL),
    )
    call.emulator.store.touch(spreadsheet)
    return _json(reply)


# ----- Drive -----

_FILE_DEFAULT = ("kind", "id", "name", "mimeType")


@api("POST", r"/drive/v3/files", "drive.files.create", "drive")
async def drive_create(call: Call) -> Response:
    body = call.body or {}
    key = call.emulator.create_spreadsheet(body.get("name") or "Untitled spreadsheet")
    spreadsheet = call.emulator.store.get(key)
    assert spreadsheet is not None
    spreadsheet.parents = list(body.get("parents") or [])
    return _json(
        drive.masked(
            drive.file_resource(spreadsheet, owner=call.emulator.store.account_email),
            call.params.get("fields"),
            _FILE_DEFAULT,
        )
    )


@api("GET", r"/drive/v3/files", "drive.files.list", "drive")
async def drive_list(call: Call) -> Response:
    return _json(drive.list_files(call.emulator.store, call.params))


@api("GET", r"/drive/v3/files/(?P<id>[^/]+)/export", "drive.files.export", "drive")
async def drive_export(call: Call) -> Response:
    spreadsheet = _file(call)
    mime = call.params.get("mimeType", "")
    if mime != "text/csv":
        raise errors.drive_invalid(f"Export only supports text/csv in the emulator, not {mime}.", "mimeType")
    return Response(drive.export_csv(spreadsheet), media_type="text/csv")


@api("POST", r"/drive/v3/files/(?P<id>[^/]+)/copy", "drive.files.copy", "drive")
async def drive_copy(call: Call) -> Response:
    source = _file(call)
    clone = Spreadsheet.from_json(json.loads(json.dumps(source.to_json())))
    clone.id = new_file_id()
    clone.properties["title"] = (call.body or {}).get("name") or f"Copy of {source.title}"
    clone.version = 1
    call.emulator.store.add(clone)
    return _json(
        drive.masked(
            drive.file_resource(clone, owner=call.emulator.store.account_email),
            call.params.get("fields"),
            _FILE_DEFAULT,
        )
    )


@api("GET", r"/drive/v3/files/(?P<id>[^/]+)/permissions", "drive.permissions.list", "drive")
async def drive_permissions(call: Call) -> Response:
    _file(call)
    owner = {
        "kind": "drive#permission",
        "id": "owner",
        "type": "user",
        "role": "owner",
        "emailAddress": call.emulator.store.account_email,
    }
    return _json({"kind": "drive#permissionList", "permissions": [owner]})


@api("POST", r"/drive/v3/files/(?P<id>[^/]+)/permissions", "drive.permissions.create", "drive")
async def drive_share(call: Call) -> Response:
    _file(call)
    body = call.body or {}
    return _json(
        {
            "kind": "drive#permission",
            "id": new_file_id()[:20],
            "type": body.get("type", "user"),
            "role": body.get("role", "reader"),
        }
    )


@api(
    "DELETE",
    r"/drive/v3/files/(?P<id>[^/]+)/permissions/(?P<perm>[^/]+)",
    "drive.permissions.delete",
    "drive",
)
async def drive_unshare(call: Call) -> Response:
    _file(call)
    return Response(status_code=204)


@api("GET", r"/drive/v3/files/(?P<id>[^/]+)", "drive.files.get", "drive")
async def drive_get(call: Call) -> Response:
    resource_ = drive.file_resource(_file(call), owner=call.emulator.store.account_email)
    return _json(drive.masked(resource_, call.params.get("fields"), _FILE_DEFAULT))


@api("PATCH", r"/drive/v3/files/(?P<id>[^/]+)", "drive.files.update", "drive")
async def drive_update(call: Call) -> Response:
    spreadsheet = _file(call)
    body = call.body or {}
    if "name" in body:
        spreadsheet.properties["title"] = body["name"]
    if "trashed" in body:
        spreadsheet.trashed = bool(body["trashed"])
    call.emulator.store.touch(spreadsheet)
    return _json(
        drive.masked(
            drive.file_resource(spreadsheet, owner=call.emulator.store.account_email),
            call.params.get("fields"),
            _FILE_DEFAULT,
        )
    )


@api("DELETE", r"/drive/v3/files/(?P<id>[^/]+)", "drive.files.delete", "drive")
async def drive_delete(call: Call) -> Response:
    call.emulator.store.remove(_file(call).id)
    return Response(status_code=204)


@api("GET", r"/drive/v3/changes/startPageToken", "drive.changes.getStartPageToken", "drive")
async def drive_start_token(call: Call) -> Response:
    return _json({"kind": "drive#startPageToken", "startPageToken": str(call.emulator.store.next_change_id)})


@api("GET", r"/drive/v3/changes", "drive.changes.list", "drive")
async def drive_changes(call: Call) -> Response:
    token = call.params.get("pageToken")
    if not token:
        raise errors.drive_invalid("Required parameter: pageToken", "pageToken")
    return _json(drive.changes(call.emulator.store, token, call.params))


# ----- plumbing -----


def _user(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer ") or not header[7:].strip():
        return None
    token = header[7:].strip()
    if token.startswith("emu."):
        try:
            return base64.urlsafe_b64decode(token[4:] + "==").decode()
        except (binascii.Error, UnicodeDecodeError):
            return token
    return f"token:{token[:24]}"


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
        return _json(errors.not_found().body, 404)
    user = _user(request)
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
        return _json(error.body, error.status)
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


async def token(request: Request) -> Response:
    """OAuth token endpoint: accepts any service-account JWT assertion and mints a bearer token."""
    # Parsed by hand: the body is always urlencoded and python-multipart is not a dependency.
    form = parse_qs((await request.body()).decode())
    assertion = form.get("assertion", [""])[0]
    subject = "anonymous"
    parts = assertion.split(".")
    if len(parts) == 3:
        try:
            claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
            subject = str(claims.get("sub") or claims.get("iss") or subject)
        except (ValueError, binascii.Error):
            pass
    access = "emu." + base64.urlsafe_b64encode(subject.encode()).decode().rstrip("=")
    return JSONResponse({"access_token": access, "expires_in": 3600, "token_type": "Bearer"})


async def control(request: Request) -> Response:
    """Test-facing HTTP control under ``/__emulator/``: reset, faults, request log."""
    emulator: Emulator = request.app.state.emulator
    action = request.path_params["action"]
    if action == "reset" and request.method == "POST":
        emulator.reset()
        return JSONResponse({"ok": True})
    if action == "log":
        return JSONResponse(
            {
                "counts": dict(emulator.request_counts()),
                "total": len(emulator.request_log),
                "holding": emulator.faults.holding(),
            }
        )
    if action == "faults" and request.method == "POST":
        spec = await request.json()
        emulator.faults.inject(
            spec["kind"],
            rate=float(spec.get("rate", 1.0)),
            count=spec.get("count"),
            status=int(spec.get("status", 503)),
            delay=float(spec.get("delay", 0.0)),
            method=spec.get("method"),
            stage=spec.get("stage", "before"),
        )
        return JSONResponse({"ok": True})
    if action == "faults" and request.method == "DELETE":
        emulator.faults.clear()
        return JSONResponse({"ok": True})
    return JSONResponse({"error": "unknown control action"}, status_code=404)


def build_app(emulator: Emulator) -> Starlette:
    """The ASGI app for ``emulator``: Google's API paths, the token endpoint, the HTML page."""
    routes = [
        Route("/token", token, methods=["POST"]),
        Route("/__emulator/{action}", control, methods=["GET", "POST", "DELETE"]),
        *page.routes(),
        Route("/{path:path}", dispatch, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.emulator = emulator
    return app
