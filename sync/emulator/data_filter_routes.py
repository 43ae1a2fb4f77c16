"""The ``*ByDataFilter`` routes: values read, written and cleared, and the spreadsheet read,
where DataFilters (developer metadata lookups, A1 or grid ranges) say where.

Each filter selects areas through :mod:`data_filters` (a ROW metadata its whole row, and so on);
shapes follow Google's reference: one MatchedValueRange per distinct area with every filter that
matched it, one UpdateValuesByDataFilterResponse per area written.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from . import a1, data_filters, grid, resource, values
from .routing import Call, RouteTable, json_response
from .sheets_routes import ID, input_option, spreadsheet_of
from .store import Spreadsheet

api = RouteTable()


def _areas(spreadsheet: Spreadsheet, filters: list[dict[str, Any]]) -> list[tuple[grid.Area, list[Any]]]:
    """Each distinct area any filter selects, in first-matched order, with the filters that did."""
    matcher = data_filters.Matcher(spreadsheet)
    matched: dict[tuple[int, ...], tuple[grid.Area, list[Any]]] = {}
    for data_filter in filters:
        for area in matcher.areas(data_filter):
            matched.setdefault(data_filters.area_key(area), (area, []))[1].append(data_filter)
    return list(matched.values())


@api.route(
    "POST",
    rf"/v4/spreadsheets/{ID}/values:batchGetByDataFilter",
    "sheets.spreadsheets.values.batchGetByDataFilter",
    "read",
)
async def batch_get(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    body = call.body or {}
    major = body.get("majorDimension", "ROWS")
    value_option = body.get("valueRenderOption", values.FORMATTED)
    date_option = body.get("dateTimeRenderOption", values.SERIAL)
    reply: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    matched = [
        {
            "valueRange": values.value_range(
                area, values.read(area, value_option, date_option, major), major
            ),
            "dataFilters": filters,
        }
        for area, filters in _areas(spreadsheet, body.get("dataFilters") or [])
    ]
    if matched:  # an empty list is left out, as proto3 JSON leaves it out
        reply["valueRanges"] = matched
    return json_response(reply)


@api.route(
    "POST",
    rf"/v4/spreadsheets/{ID}/values:batchUpdateByDataFilter",
    "sheets.spreadsheets.values.batchUpdateByDataFilter",
    "write",
)
async def batch_update(call: Call) -> Response:
    """Write each item's values at the start of every area its filter matches.

    Google: "If more than one range is matched by the specified DataFilter the specified values
    are applied to all of those ranges", and values that "exceed any of the ranges matched" fail
    the request. Every item is checked before anything is written, so a failure writes nothing.
    """
    spreadsheet = spreadsheet_of(call)
    body = call.body or {}
    user_entered = input_option(body)
    matcher = data_filters.Matcher(spreadsheet)  # writing values moves no metadata
    plan = []
    for index, item in enumerate(body.get("data") or []):
        rows = values.rows_of(item, f"data[{index}].values")
        height, width = len(rows), max((len(row) for row in rows), default=0)
        data_filter = item.get("dataFilter") or {}
        for area in matcher.areas(data_filter):
            bounds = a1.Bounds(area.start_row, area.end_row, area.start_col, area.end_col)
            values.check_fits(area.sheet, bounds, area.a1(), height, width)
            plan.append((area, rows, data_filter))
    responses = [
        _write(spreadsheet, area, rows, data_filter, body, user_entered) for area, rows, data_filter in plan
    ]
    if responses:
        call.emulator.store.touch(spreadsheet)
    return json_response(values.totals(spreadsheet, responses))


def _write(
    spreadsheet: Spreadsheet,
    area: grid.Area,
    rows: list[list[Any]],
    data_filter: dict[str, Any],
    body: dict[str, Any],
    user_entered: bool,
) -> dict[str, Any]:
    written = values.write(
        spreadsheet, area.sheet, area.start_row, area.start_col, rows, user_entered=user_entered
    )
    del written["spreadsheetId"]  # UpdateValuesByDataFilterResponse has none
    written["dataFilter"] = data_filter
    if body.get("includeValuesInResponse"):
        written["updatedData"] = values.updated_data(
            spreadsheet,
            area.sheet,
            area.start_row,
            area.start_col,
            rows,
            value_option=body.get("responseValueRenderOption", values.FORMATTED),
            date_option=body.get("responseDateTimeRenderOption", values.SERIAL),
        )
    return written


@api.route(
    "POST",
    rf"/v4/spreadsheets/{ID}/values:batchClearByDataFilter",
    "sheets.spreadsheets.values.batchClearByDataFilter",
    "write",
)
async def batch_clear(call: Call) -> Response:
    spreadsheet = spreadsheet_of(call)
    cleared = [
        values.clear_area(area) for area, _ in _areas(spreadsheet, (call.body or {}).get("dataFilters") or [])
    ]
    reply: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if cleared:
        call.emulator.store.touch(spreadsheet)
        reply["clearedRanges"] = cleared
    return json_response(reply)


@api.route(
    "POST",
    rf"/v4/spreadsheets/{ID}:getByDataFilter",
    "sheets.spreadsheets.getByDataFilter",
    "read",
)
async def get_spreadsheet(call: Call) -> Response:
    """``spreadsheets.getByDataFilter``: ``spreadsheets.get`` with the filters' areas as ranges."""
    spreadsheet = spreadsheet_of(call)
    body = call.body or {}
    filters = body.get("dataFilters") or []
    areas = [area for area, _ in _areas(spreadsheet, filters)] if filters else None
    answer = resource.get(
        spreadsheet,
        include_grid=bool(body.get("includeGridData")),
        areas=areas,
        mask=call.params.get("fields"),
        account=call.emulator.store.account_email,
    )
    return json_response(answer)
