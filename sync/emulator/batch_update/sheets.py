"""Sheet requests: add, delete, duplicate and move sheets; sheet and spreadsheet properties."""

from __future__ import annotations

import copy
from typing import Any

from .. import data_filters, defaults, fields, sheet_references, structure
from ..store import Sheet, Spreadsheet, new_numeric_id
from . import targets
from .request_error import RequestError


def add_sheet(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(payload.get("properties") or {})
    title = props.get("title") or _free_title(spreadsheet)
    if spreadsheet.sheet_by_title(title) is not None and spreadsheet.sheet_by_title(title).title == title:  # type: ignore[union-attr]
        raise RequestError(f'A sheet with the name "{title}" already exists. Please enter another name.')
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = new_numeric_id()
    elif spreadsheet.sheet_by_id(int(sheet_id)) is not None:
        raise RequestError(f"A sheet with the id {sheet_id} already exists.")
    grid_props = props.get("gridProperties") or {}
    index = props.get("index", len(spreadsheet.sheets))
    full = defaults.sheet_properties(
        int(sheet_id),
        title,
        len(spreadsheet.sheets),
        int(grid_props.get("rowCount", defaults.ROW_COUNT)),
        int(grid_props.get("columnCount", defaults.COLUMN_COUNT)),
    )
    for key in ("frozenRowCount", "frozenColumnCount", "hideGridlines"):
        if grid_props.get(key):
            full["gridProperties"][key] = grid_props[key]
    for key in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
        if props.get(key):
            full[key] = props[key]
    sheet = Sheet(properties=full)
    _move(spreadsheet, sheet, index)
    return {"properties": copy.deepcopy(sheet.properties)}


def _free_title(spreadsheet: Spreadsheet) -> str:
    number = len(spreadsheet.sheets) + 1
    while spreadsheet.sheet_by_title(f"Sheet{number}") is not None:
        number += 1
    return f"Sheet{number}"


def _move(spreadsheet: Spreadsheet, sheet: Sheet, index: int) -> None:
    others = [s for s in spreadsheet.sheets if s is not sheet]
    others.insert(max(0, min(int(index), len(others))), sheet)
    spreadsheet.sheets = others
    for position, item in enumerate(others):
        item.properties["index"] = position


def delete_sheet(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = targets.sheet(spreadsheet, payload.get("sheetId"))
    if len(spreadsheet.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    spreadsheet.sheets.remove(sheet)
    spreadsheet.named_ranges = [
        n for n in spreadsheet.named_ranges if int(n["range"].get("sheetId", 0)) != sheet.sheet_id
    ]
    # Metadata on the sheet, its rows or its columns goes with it.
    spreadsheet.developer_metadata = [
        m
        for m in spreadsheet.developer_metadata
        if data_filters.location_sheet_id(m["location"]) != sheet.sheet_id
    ]
    spreadsheet.reindex()


def duplicate_sheet(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    source = targets.sheet(spreadsheet, payload.get("sourceSheetId"))
    copy_sheet = Sheet.from_json(copy.deepcopy(source.to_json()))
    copy_sheet.properties["sheetId"] = int(payload.get("newSheetId") or new_numeric_id())
    copy_sheet.properties["title"] = payload.get("newSheetName") or f"Copy of {source.title}"
    _move(spreadsheet, copy_sheet, payload.get("insertSheetIndex", len(spreadsheet.sheets)))
    return {"properties": copy.deepcopy(copy_sheet.properties)}


def update_sheet_properties(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    props = payload.get("properties") or {}
    sheet = targets.sheet(spreadsheet, props.get("sheetId"))
    paths = fields.parse(payload.get("fields") or "")
    if not paths:
        raise RequestError("At least one field must be updated, but 'fields' is empty.")
    if any(p == ("*",) for p in paths):
        paths = [(k,) for k in props if k != "sheetId"]
    new_index = props.get("index") if any(p[0] == "index" for p in paths) else None
    new_title = props.get("title") if any(p[0] == "title" for p in paths) else None
    if new_title is not None:
        clash = next(
            (s for s in spreadsheet.sheets if s.title.lower() == new_title.lower() and s is not sheet), None
        )
        if clash is not None:
            raise RequestError(
                f'A sheet with the name "{new_title}" already exists. Please enter another name.'
            )
    old_title = sheet.title
    fields.assign(sheet.properties, props, paths, skip=frozenset({"sheetId", "index"}))
    if new_title is not None:
        sheet_references.rename(spreadsheet, old_title, sheet.title)
    if sheet.properties.get("hidden") and all(s.properties.get("hidden") for s in spreadsheet.sheets):
        raise RequestError("You can't hide all the sheets in a document.")
    if new_index is not None:
        _move(spreadsheet, sheet, new_index)
    structure.truncate(spreadsheet, sheet)


def update_spreadsheet_properties(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    paths = fields.parse(payload.get("fields") or "")
    fields.assign(spreadsheet.properties, payload.get("properties") or {}, paths)
