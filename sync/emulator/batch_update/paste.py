"""``copyPaste`` and ``cutPaste``: a block of cells copied or moved to another place."""

from __future__ import annotations

import copy
from typing import Any

from .. import grid
from ..store import Sheet, Spreadsheet
from . import targets


def _paste(
    spreadsheet: Spreadsheet,
    source: grid.Area,
    dest_sheet: Sheet,
    row: int,
    col: int,
    paste_type: str,
    cut: bool,
) -> None:
    copied = {
        (r - source.start_row, c - source.start_col): copy.deepcopy(cell)
        for (r, c), cell in source.sheet.cells.items()
        if source.start_row <= r < source.end_row and source.start_col <= c < source.end_col
    }
    if cut:
        for r, c in source.cells():
            source.sheet.cells.pop((r, c), None)
    for r in range(source.end_row - source.start_row):
        for c in range(source.end_col - source.start_col):
            target = (row + r, col + c)
            cell = copied.get((r, c))
            if paste_type == "PASTE_VALUES" and cell is not None:
                existing = dest_sheet.cell_for_write(*target)
                existing.value = cell.value
                dest_sheet.prune(*target)
            elif paste_type == "PASTE_FORMAT":
                existing = dest_sheet.cell_for_write(*target)
                existing.format = cell.format if cell else None
                dest_sheet.prune(*target)
            elif cell is None:
                dest_sheet.cells.pop(target, None)
            else:
                dest_sheet.cells[target] = cell


def copy_paste(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    source = targets.area(spreadsheet, payload.get("source") or {})
    destination = targets.area(spreadsheet, payload.get("destination") or {})
    paste_type = payload.get("pasteType", "PASTE_NORMAL")
    _paste(
        spreadsheet,
        source,
        destination.sheet,
        destination.start_row,
        destination.start_col,
        paste_type,
        False,
    )


def cut_paste(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    source = targets.area(spreadsheet, payload.get("source") or {})
    dest = payload.get("destination") or {}
    sheet = targets.sheet(spreadsheet, dest.get("sheetId"))
    paste_type = payload.get("pasteType", "PASTE_NORMAL")
    _paste(
        spreadsheet,
        source,
        sheet,
        int(dest.get("rowIndex", 0)),
        int(dest.get("columnIndex", 0)),
        paste_type,
        True,
    )
