"""Cell content requests: ``updateCells``, ``repeatCell`` and ``setDataValidation``."""

from __future__ import annotations

import copy
from typing import Any

from .. import fields
from ..store import Cell, Spreadsheet
from . import targets


def _apply_cell(target: Cell, source: dict[str, Any], paths: list[fields.Path]) -> None:
    for path in paths:
        head = path[0]
        if head == "*":
            _apply_cell(
                target,
                source,
                [("userEnteredValue",), ("userEnteredFormat",), ("note",), ("dataValidation",)],
            )
        elif head == "userEnteredValue":
            target.value = copy.deepcopy(source.get("userEnteredValue")) or None
        elif head == "note":
            target.note = source.get("note") or None
        elif head == "dataValidation":
            target.validation = copy.deepcopy(source.get("dataValidation")) or None
        elif head == "userEnteredFormat":
            fmt = dict(target.format or {})
            if len(path) == 1:
                fmt = copy.deepcopy(source.get("userEnteredFormat") or {})
            else:
                fields.assign(fmt, source.get("userEnteredFormat") or {}, [path[1:]])
            target.format = fmt or None


def update_cells(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    paths = fields.parse(payload.get("fields") or "")
    rows = payload.get("rows") or []
    if "range" in payload:
        area = targets.area(spreadsheet, payload["range"])
        start_row, start_col = area.start_row, area.start_col
        height, width = area.end_row - area.start_row, area.end_col - area.start_col
    else:
        start = payload.get("start") or {}
        area = targets.area(
            spreadsheet,
            {
                "sheetId": start.get("sheetId"),
                "startRowIndex": start.get("rowIndex", 0),
                "startColumnIndex": start.get("columnIndex", 0),
            },
        )
        start_row, start_col = area.start_row, area.start_col
        height = len(rows)
        width = max((len(r.get("values") or []) for r in rows), default=0)
    sheet = area.sheet
    for i in range(height):
        row_values = (rows[i].get("values") or []) if i < len(rows) else []
        for j in range(width):
            source = row_values[j] if j < len(row_values) else {}
            cell = sheet.cell_for_write(start_row + i, start_col + j)
            _apply_cell(cell, source, paths)
            sheet.prune(start_row + i, start_col + j)


def repeat_cell(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = targets.area(spreadsheet, payload.get("range") or {})
    paths = fields.parse(payload.get("fields") or "")
    for r, c in area.cells():
        cell = area.sheet.cell_for_write(r, c)
        _apply_cell(cell, payload.get("cell") or {}, paths)
        area.sheet.prune(r, c)


def set_data_validation(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = targets.area(spreadsheet, payload.get("range") or {})
    for r, c in area.cells():
        area.sheet.cell_for_write(r, c).validation = copy.deepcopy(payload.get("rule")) or None
        area.sheet.prune(r, c)
