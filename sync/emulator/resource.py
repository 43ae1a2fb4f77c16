"""``spreadsheets.get``: the Spreadsheet resource, optionally with grid data, then masked."""

from __future__ import annotations

import copy
from typing import Any

from . import errors, fields, formulas, grid, values
from .store import Cell, Sheet, Spreadsheet

_SPREADSHEET_KEYS = {
    "spreadsheetId",
    "properties",
    "sheets",
    "namedRanges",
    "spreadsheetUrl",
    "developerMetadata",
    "dataSources",
    "dataSourceSchedules",
}
_SHEET_KEYS = {
    "properties",
    "data",
    "merges",
    "conditionalFormats",
    "filterViews",
    "protectedRanges",
    "basicFilter",
    "charts",
    "bandedRanges",
    "developerMetadata",
    "rowGroups",
    "columnGroups",
    "slicers",
    "tables",
}


def public_range(grid_range: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as Google writes it: ``sheetId`` 0 is a proto default and is left out."""
    out = {k: v for k, v in grid_range.items() if k != "sheetId"}
    if grid_range.get("sheetId"):
        out = {"sheetId": grid_range["sheetId"], **out}
    return out


def _with_styles(fmt: dict[str, Any]) -> dict[str, Any]:
    # Sheets mirrors every plain colour into its *Style twin on read.
    out = copy.deepcopy(fmt)
    if "backgroundColor" in out:
        out["backgroundColorStyle"] = {"rgbColor": out["backgroundColor"]}
    text = out.get("textFormat")
    if isinstance(text, dict) and "foregroundColor" in text:
        text["foregroundColorStyle"] = {"rgbColor": text["foregroundColor"]}
    return out


def cell_data(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    cell: Cell | None,
    row: int,
    col: int,
    evaluator: grid.Evaluator,
    default_format: dict[str, Any],
) -> dict[str, Any]:
    """One CellData object (``{}`` for an untouched cell)."""
    if cell is None:
        return {}
    data: dict[str, Any] = {}
    if cell.value:
        data["userEnteredValue"] = cell.value
        effective = evaluator.value(sheet, row, col)
        if isinstance(effective, formulas.FormulaError):
            data["effectiveValue"] = {"errorValue": effective.as_error_value()}
        elif isinstance(effective, bool):
            data["effectiveValue"] = {"boolValue": effective}
        elif isinstance(effective, float | int):
            data["effectiveValue"] = {"numberValue": values.json_number(effective)}
        elif effective is not None:
            data["effectiveValue"] = {"stringValue": effective}
        data["formattedValue"] = values.formatted(cell, effective)
    if cell.format:
        data["userEnteredFormat"] = _with_styles(cell.format)
    if cell.value or cell.format:
        effective_format = {**copy.deepcopy(default_format), **_with_styles(cell.format or {})}
        effective_format.setdefault("hyperlinkDisplayType", "PLAIN_TEXT")
        data["effectiveFormat"] = effective_format
    if cell.note:
        data["note"] = cell.note
    if cell.validation:
        data["dataValidation"] = cell.validation
    return data


def grid_data(spreadsheet: Spreadsheet, area: grid.Area) -> dict[str, Any]:
    """GridData for one rectangle, rows and cells trimmed like the API trims them."""
    sheet = area.sheet
    evaluator = grid.Evaluator(spreadsheet)
    default_format = spreadsheet.properties.get("defaultFormat", {})
    rows = []
    for r in range(area.start_row, area.end_row):
        cells = [
            cell_data(spreadsheet, sheet, sheet.cell(r, c), r, c, evaluator, default_format)
            for c in range(area.start_col, area.end_col)
        ]
        rows.append({"values": cells})
    data: dict[str, Any] = {}
    if area.start_row:
        data["startRow"] = area.start_row
    if area.start_col:
        data["startColumn"] = area.start_col
    data["rowData"] = rows
    data["rowMetadata"] = [
        sheet.row_meta.get(r, {"pixelSize": 21}) for r in range(area.start_row, area.end_row)
    ]
    data["columnMetadata"] = [
        sheet.column_meta.get(c, {"pixelSize": 100}) for c in range(area.start_col, area.end_col)
    ]
    return data


def _trim_grid(data: dict[str, Any]) -> None:
    rows = data.get("rowData")
    if not isinstance(rows, list):
        return
    for row in rows:
        cells = row.get("values")
        if isinstance(cells, list):
            while cells and cells[-1] == {}:
                cells.pop()
            if not cells:
                row.pop("values")
    while rows and rows[-1] == {}:
        rows.pop()
    if not rows:
        data.pop("rowData")


def sheet_resource(spreadsheet: Spreadsheet, sheet: Sheet, account: str) -> dict[str, Any]:
    """A Sheet object without grid data."""
    out: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
    if sheet.merges:
        out["merges"] = [public_range(m) for m in sheet.merges]
    if sheet.protected_ranges:
        out["protectedRanges"] = [_protected(p, account) for p in sheet.protected_ranges]
    if sheet.basic_filter:
        out["basicFilter"] = sheet.basic_filter
    if sheet.row_groups:
        out["rowGroups"] = copy.deepcopy(sheet.row_groups)
    if sheet.column_groups:
        out["columnGroups"] = copy.deepcopy(sheet.column_groups)
    metadata = [m for m in spreadsheet.developer_metadata if m["location"].get("sheetId") == sheet.sheet_id]
    if metadata:
        out["developerMetadata"] = copy.deepcopy(metadata)
    return out


def _protected(protected: dict[str, Any], account: str) -> dict[str, Any]:
    out = copy.deepcopy(protected)
    out["range"] = public_range(out["range"])
    # Reading back, Google adds the owner (the account that made the protection) to the editors.
    editors = out.get("editors") or {}
    users = [account, *(u for u in editors.get("users", []) if u != account)]
    out["editors"] = {**editors, "users": users}
    return out


def build(spreadsheet: Spreadsheet, *, include_grid: bool, ranges: list[str], account: str) -> dict[str, Any]:
    """The full Spreadsheet resource (grid data for ``ranges`` or, without ranges, every sheet)."""
    body: dict[str, Any] = {
        "spreadsheetId": spreadsheet.id,
        "properties": copy.deepcopy(spreadsheet.properties),
    }
    sheets = [sheet_resource(spreadsheet, sheet, account) for sheet in spreadsheet.sheets]
    if include_grid:
        wanted: dict[int, list[grid.Area]] = {}
        if ranges:
            for text in ranges:
                area = grid.area(spreadsheet, text)
                wanted.setdefault(area.sheet.sheet_id, []).append(area)
        else:
            for sheet in spreadsheet.sheets:
                wanted[sheet.sheet_id] = [grid.clamp(spreadsheet, sheet, grid.from_grid_range({}))]
        for sheet, resource in zip(spreadsheet.sheets, sheets, strict=True):
            if sheet.sheet_id in wanted:
                resource["data"] = [grid_data(spreadsheet, area) for area in wanted[sheet.sheet_id]]
        if ranges:
            sheets = [
                s for sheet, s in zip(spreadsheet.sheets, sheets, strict=True) if sheet.sheet_id in wanted
            ]
    body["sheets"] = sheets
    if spreadsheet.named_ranges:
        body["namedRanges"] = [
            {**{k: v for k, v in n.items() if k != "range"}, "range": public_range(n["range"])}
            for n in spreadsheet.named_ranges
        ]
    top_metadata = [m for m in spreadsheet.developer_metadata if m["location"].get("spreadsheet")]
    if top_metadata:
        body["developerMetadata"] = copy.deepcopy(top_metadata)
    body["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{spreadsheet.id}/edit"
    return body


def check_mask(paths: list[fields.Path]) -> None:
    """Reject masks naming fields the Spreadsheet resource does not have (400 like Google)."""
    for path in paths:
        if path == ("*",):
            continue
        if path[0] not in _SPREADSHEET_KEYS:
            raise errors.bad_field_mask(".".join(path))
        if path[0] == "sheets" and len(path) > 1 and path[1] not in _SHEET_KEYS:
            raise errors.bad_field_mask(".".join(path))


def get(
    spreadsheet: Spreadsheet, *, include_grid: bool, ranges: list[str], mask: str | None, account: str
) -> dict[str, Any]:
    """``spreadsheets.get``; a field mask mentioning grid data implies ``includeGridData``."""
    paths = fields.parse(mask) if mask else []
    check_mask(paths)
    if paths:
        include_grid = any(p[:2] == ("sheets", "data") or p == ("sheets",) or p == ("*",) for p in paths)
    body = build(spreadsheet, include_grid=include_grid, ranges=ranges, account=account)
    if paths:
        body = fields.select(body, paths)
    for sheet in body.get("sheets", []):
        for data in sheet.get("data", []):
            _trim_grid(data)
    return body
