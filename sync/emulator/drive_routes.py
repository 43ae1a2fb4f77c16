"""The Drive v3 routes gspread calls: files, export, copy, permissions and changes."""

from __future__ import annotations

import json

from starlette.responses import Response

from . import drive, errors
from .routing import Call, RouteTable, json_response
from .store import Spreadsheet, new_file_id

api = RouteTable()


def _file(call: Call) -> Spreadsheet:
    file_id = call.match.group("id")
    spreadsheet = call.emulator.store.get(file_id)
    if spreadsheet is None or spreadsheet.restricted:
        raise errors.drive_not_found(file_id)
    return spreadsheet


_FILE_DEFAULT = ("kind", "id", "name", "mimeType")


@api.route("POST", r"/drive/v3/files", "drive.files.create", "drive")
async def drive_create(call: Call) -> Response:
    body = call.body or {}
    key = call.emulator.create_spreadsheet(body.get("name") or "Untitled spreadsheet")
    spreadsheet = call.emulator.store.get(key)
    assert spreadsheet is not None
    spreadsheet.parents = list(body.get("parents") or [])
    return _file_response(call, spreadsheet)


@api.route("GET", r"/drive/v3/files", "drive.files.list", "drive")
async def drive_list(call: Call) -> Response:
    return json_response(drive.list_files(call.emulator.store, call.params))


@api.route("GET", r"/drive/v3/files/(?P<id>[^/]+)/export", "drive.files.export", "drive")
async def drive_export(call: Call) -> Response:
    spreadsheet = _file(call)
    mime = call.params.get("mimeType", "")
    if mime != "text/csv":
        raise errors.drive_invalid(f"Export only supports text/csv in the emulator, not {mime}.", "mimeType")
    return Response(drive.export_csv(spreadsheet), media_type="text/csv")


@api.route("POST", r"/drive/v3/files/(?P<id>[^/]+)/copy", "drive.files.copy", "drive")
async def drive_copy(call: Call) -> Response:
    source = _file(call)
    clone = Spreadsheet.from_json(json.loads(json.dumps(source.to_json())))
    clone.id = new_file_id()
    clone.properties["title"] = (call.body or {}).get("name") or f"Copy of {source.title}"
    clone.version = 1
    call.emulator.store.add(clone)
    return _file_response(call, clone)


@api.route("GET", r"/drive/v3/files/(?P<id>[^/]+)/permissions", "drive.permissions.list", "drive")
async def drive_permissions(call: Call) -> Response:
    _file(call)
    owner = {
        "kind": "drive#permission",
        "id": "owner",
        "type": "user",
        "role": "owner",
        "emailAddress": call.emulator.store.account_email,
    }
    return json_response({"kind": "drive#permissionList", "permissions": [owner]})


@api.route("POST", r"/drive/v3/files/(?P<id>[^/]+)/permissions", "drive.permissions.create", "drive")
async def drive_share(call: Call) -> Response:
    _file(call)
    body = call.body or {}
    return json_response(
        {
            "kind": "drive#permission",
            "id": new_file_id()[:20],
            "type": body.get("type", "user"),
            "role": body.get("role", "reader"),
        }
    )


@api.route(
    "DELETE",
    r"/drive/v3/files/(?P<id>[^/]+)/permissions/(?P<perm>[^/]+)",
    "drive.permissions.delete",
    "drive",
)
async def drive_unshare(call: Call) -> Response:
    _file(call)
    return Response(status_code=204)


@api.route("GET", r"/drive/v3/files/(?P<id>[^/]+)", "drive.files.get", "drive")
async def drive_get(call: Call) -> Response:
    return _file_response(call, _file(call))


@api.route("PATCH", r"/drive/v3/files/(?P<id>[^/]+)", "drive.files.update", "drive")
async def drive_update(call: Call) -> Response:
    spreadsheet = _file(call)
    body = call.body or {}
    if "name" in body:
        spreadsheet.properties["title"] = body["name"]
    if "trashed" in body:
        spreadsheet.trashed = bool(body["trashed"])
    call.emulator.store.touch(spreadsheet)
    return _file_response(call, spreadsheet)


@api.route("DELETE", r"/drive/v3/files/(?P<id>[^/]+)", "drive.files.delete", "drive")
async def drive_delete(call: Call) -> Response:
    call.emulator.store.remove(_file(call).id)
    return Response(status_code=204)


@api.route("GET", r"/drive/v3/changes/startPageToken", "drive.changes.getStartPageToken", "drive")
async def drive_start_token(call: Call) -> Response:
    return json_response(
        {"kind": "drive#startPageToken", "startPageToken": str(call.emulator.store.next_change_id)}
    )


@api.route("GET", r"/drive/v3/changes", "drive.changes.list", "drive")
async def drive_changes(call: Call) -> Response:
    token = call.params.get("pageToken")
    if not token:
        raise errors.drive_invalid("Required parameter: pageToken", "pageToken")
    return json_response(drive.changes(call.emulator.store, token, call.params))


def _file_response(call: Call, spreadsheet: Spreadsheet) -> Response:
    """A Drive file resource, masked by the request's `fields` as Drive does."""
    resource = drive.file_resource(spreadsheet, owner=call.emulator.store.account_email)
    return json_response(drive.masked(resource, call.params.get("fields"), _FILE_DEFAULT))
