"""``mergeCells`` and ``unmergeCells``."""

from __future__ import annotations

from typing import Any

from ..store import Spreadsheet
from . import targets


def merge_cells(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = targets.area(spreadsheet, payload.get("range") or {})
    kind = payload.get("mergeType", "MERGE_ALL")
    pieces: list[tuple[int, int, int, int]]
    if kind == "MERGE_ROWS":
        pieces = [(r, r + 1, area.start_col, area.end_col) for r in range(area.start_row, area.end_row)]
    elif kind == "MERGE_COLUMNS":
        pieces = [(area.start_row, area.end_row, c, c + 1) for c in range(area.start_col, area.end_col)]
    else:
        pieces = [(area.start_row, area.end_row, area.start_col, area.end_col)]
    sheet = area.sheet
    for r0, r1, c0, c1 in pieces:
        # A new merge replaces the merges it overlaps, as re-merging in the UI does.
        sheet.merges = [m for m in sheet.merges if not _overlaps(m, r0, r1, c0, c1)]
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0) and sheet.cell(r, c) is not None:
                    # Merging keeps only the top-left value, as the UI does.
                    sheet.cell_for_write(r, c).value = None
                    sheet.prune(r, c)
        merge = {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
        sheet.merges.append({"sheetId": sheet.sheet_id, **merge})


def _overlaps(merge: dict[str, Any], r0: int, r1: int, c0: int, c1: int) -> bool:
    return bool(
        merge["startRowIndex"] < r1
        and r0 < merge["endRowIndex"]
        and merge["startColumnIndex"] < c1
        and c0 < merge["endColumnIndex"]
    )


def unmerge_cells(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = targets.area(spreadsheet, payload.get("range") or {})
    area.sheet.merges = [
        m
        for m in area.sheet.merges
        if not _overlaps(m, area.start_row, area.end_row, area.start_col, area.end_col)
    ]
