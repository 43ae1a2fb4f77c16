"""The Sheets API v4 routes: spreadsheets, batchUpdate, developer metadata and values."""

from __future__ import annotations

from starlette.responses import Response

from . import batch_update, data_filters, errors, grid, resource, values
from .routing import Call, Params, RouteTable, json_response
from .store import Spreadsheet

api = RouteTable()


def flag(params: Params, key: str) -> bool:
    return str(params.get(key, "false")).lower() == "true"


def spreadsheet_of(call: Call) -> Spreadsheet:
    spreadsheet = call.emulator.store.get(call.match.group("id"))
    if spreadsheet is None:
        raise errors.not_found()
    if spreadsheet.restricted:
        raise errors.permission_denied()
    return spreadsheet


def input_option(params: Params) -> bool:
    option = params.get("valueInputOption")
    if option not in {"RAW", "USER_ENTERED"}:
        if option is None:
            raise errors.invalid_argument("'valueInputOption' is required but not specified")
        raise errors.invalid_argument(f"Invalid valueInputOption: {option}")
    return bool(option == "USER_ENTERED")


def render_options(params: Params) -> dict[str, str]:
    return {
        "value_option": params.get("valueRenderOption", values.FORMATTED),
        "date_option": params.get("dateTimeRenderOption", values.SERIAL),
    }


# A spreadsheet id stops at "/" or at the ":" that starts a verb (``{id}:batchUpdate``).
ID = r"(?P<id>[^/:]+)"


@api.route("POST", r"/v4/spreadsheets", "sheets.spreadsheets.create", "write")
async def create_spreadsheet(call: Call) -> Response:
    body = call.body or {}
    title = (body.get("properties") or {}).get("title", "Untitled spreadsheet")
    tabs: dict[str, list[list[str]]] = {
        s["properties"]["title"]: [] for s in body.get("sheets", []) if s.get("properties", {}).get("title")
    }
    key = call.emulator.create_spreadsheet(title, tabs or None)
    spreadsheet = call.emulator.store.get(key)
    assert spreadsheet is not None
    return json_response(
        resource.build(spreadsheet, include_grid=False, account=call.emulator.store.account_email)
    )


@api.route("GET", rf"/v4/spreadsheets/{ID}", "sheets.spreadsheets.get", "read")
async def get_spreadsheet(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    ranges = call.multi.get("ranges", [])
    body = resource.get(
        spreadsheet,
        include_grid=flag(call.params, "includeGridData"),
        areas=[grid.area(spreadsheet, text) for text in ranges] if ranges else None,
        mask=call.params.get("fields"),
        account=call.emulator.store.account_email,
    )
    return json_response(body)


@api.route("POST", rf"/v4/spreadsheets/{ID}:batchUpdate", "sheets.spreadsheets.batchUpdate", "write")
async def spreadsheet_batch_update(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    old_title = spreadsheet.title
    reply = batch_update.apply(spreadsheet, call.body or {}, account=call.emulator.store.account_email)
    if reply["replies"] or spreadsheet.title != old_title:
        call.emulator.store.touch(spreadsheet)
    return json_response(reply)


@api.route(
    "POST",
    rf"/v4/spreadsheets/{ID}/developerMetadata:search",
    "sheets.spreadsheets.developerMetadata.search",
    "read",
)
async def search_metadata(call: Call) -> Response:
    filters = (call.body or {}).get("dataFilters") or []
    matched = data_filters.Matcher(spreadsheet_of(call)).matched_metadata(filters)
    return json_response({"matchedDeveloperMetadata": matched} if matched else {})


@api.route(
    "GET",
    rf"/v4/spreadsheets/{ID}/developerMetadata/(?P<meta>\d+)",
    "sheets.spreadsheets.developerMetadata.get",
    "read",
)
async def get_metadata(call: Call) -> Response:
    wanted = int(call.match.group("meta"))
    found = next((m for m in spreadsheet_of(call).developer_metadata if m["metadataId"] == wanted), None)
    if found is None:
        raise errors.not_found()
    return json_response(found)


@api.route("GET", rf"/v4/spreadsheets/{ID}/values:batchGet", "sheets.spreadsheets.values.batchGet", "read")
async def values_batch_get(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    major = call.params.get("majorDimension", "ROWS")
    ranges = [
        values.get(spreadsheet, r, major=major, **render_options(call.params))
        for r in call.multi.get("ranges", [])
    ]
    return json_response({"spreadsheetId": spreadsheet.id, "valueRanges": ranges})


@api.route(
    "POST", rf"/v4/spreadsheets/{ID}/values:batchUpdate", "sheets.spreadsheets.values.batchUpdate", "write"
)
async def values_batch_update(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    body = call.body or {}
    user_entered = input_option(body)
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
    return json_response(values.totals(spreadsheet, responses))


@api.route(
    "POST", rf"/v4/spreadsheets/{ID}/values:batchClear", "sheets.spreadsheets.values.batchClear", "write"
)
async def values_batch_clear(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    cleared = [values.clear(spreadsheet, r) for r in (call.body or {}).get("ranges") or []]
    call.emulator.store.touch(spreadsheet)
    return json_response({"spreadsheetId": spreadsheet.id, "clearedRanges": cleared})


@api.route(
    "POST",
    rf"/v4/spreadsheets/{ID}/values/(?P<range>.+):append",
    "sheets.spreadsheets.values.append",
    "write",
)
async def values_append(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    reply = values.append(
        spreadsheet,
        call.match.group("range"),
        call.body or {},
        user_entered=input_option(call.params),
        insert_rows=call.params.get("insertDataOption") == "INSERT_ROWS",
        include_values=flag(call.params, "includeValuesInResponse"),
    )
    call.emulator.store.touch(spreadsheet)
    return json_response(reply)


@api.route(
    "POST", rf"/v4/spreadsheets/{ID}/values/(?P<range>.+):clear", "sheets.spreadsheets.values.clear", "write"
)
async def values_clear(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    cleared = values.clear(spreadsheet, call.match.group("range"))
    call.emulator.store.touch(spreadsheet)
    return json_response({"spreadsheetId": spreadsheet.id, "clearedRange": cleared})


@api.route("GET", rf"/v4/spreadsheets/{ID}/values/(?P<range>.+)", "sheets.spreadsheets.values.get", "read")
async def values_get(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    major = call.params.get("majorDimension", "ROWS")
    return json_response(
        values.get(spreadsheet, call.match.group("range"), major=major, **render_options(call.params))
    )


@api.route(
    "PUT", rf"/v4/spreadsheets/{ID}/values/(?P<range>.+)", "sheets.spreadsheets.values.update", "write"
)
async def values_update(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    body = call.body if isinstance(call.body, dict) else {}
    reply = values.update(
        spreadsheet,
        call.match.group("range"),
        body,
        user_entered=input_option(call.params),
        include_values=flag(call.params, "includeValuesInResponse"),
        value_option=call.params.get("responseValueRenderOption", values.FORMATTED),
        date_option=call.params.get("responseDateTimeRenderOption", values.SERIAL),
    )
    call.emulator.store.touch(spreadsheet)
    return json_response(reply)
