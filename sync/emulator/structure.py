"""Structural edits shared by batchUpdate and values.append: inserting and deleting rows or
columns, and keeping every index-based thing (cells, merges, named and protected ranges,
groups, dimension sizes) pointing at the same data afterwards."""

from __future__ import annotations

from typing import Any

from .store import Sheet, Spreadsheet

_KEYS = {"ROWS": ("startRowIndex", "endRowIndex"), "COLUMNS": ("startColumnIndex", "endColumnIndex")}


def _shift_index(index: int, start: int, end: int, inserting: bool, is_end: bool) -> int:
    count = end - start
    if inserting:
        return index + count if index > start or (index == start and not is_end) else index
    if index <= start:
        return index
    return index - count if index >= end else start


def shift_grid_range(grid: dict[str, Any], dimension: str, start: int, end: int, inserting: bool) -> bool:
    """Move a GridRange dict in place; return False when a deletion swallowed it entirely."""
    low_key, high_key = _KEYS[dimension]
    low = grid.get(low_key)
    high = grid.get(high_key)
    if low is not None:
        grid[low_key] = _shift_index(low, start, end, inserting, is_end=False)
    if high is not None:
        grid[high_key] = _shift_index(high, start, end, inserting, is_end=True)
    if low is not None and high is not None:
        return bool(grid[high_key] > grid[low_key])
    return True


def _shift_map(items: dict[int, Any], start: int, end: int, inserting: bool) -> dict[int, Any]:
    count = end - start
    out: dict[int, Any] = {}
    for index, value in items.items():
        if inserting:
            out[index + count if index >= start else index] = value
        elif index < start:
            out[index] = value
        elif index >= end:
            out[index - count] = value
    return out


def _shift_ranges(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int, inserting: bool
) -> None:
    sheet.merges = [m for m in sheet.merges if shift_grid_range(m, dimension, start, end, inserting)]
    sheet.protected_ranges = [
        p for p in sheet.protected_ranges if shift_grid_range(p["range"], dimension, start, end, inserting)
    ]
    for named in spreadsheet.named_ranges:
        if int(named["range"].get("sheetId", 0)) == sheet.sheet_id:
            shift_grid_range(named["range"], dimension, start, end, inserting)
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    for group in groups:
        rng = group["range"]
        rng["startIndex"] = _shift_index(rng["startIndex"], start, end, inserting, is_end=False)
        rng["endIndex"] = _shift_index(rng["endIndex"], start, end, inserting, is_end=True)
    groups[:] = [g for g in groups if g["range"]["endIndex"] > g["range"]["startIndex"]]


def insert_dimension(spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int) -> None:
    """Insert ``end - start`` empty rows or columns before index ``start``."""
    count = end - start
    axis = 0 if dimension == "ROWS" else 1
    moved = {}
    for key, cell in sheet.cells.items():
        new = list(key)
        if key[axis] >= start:
            new[axis] += count
        moved[(new[0], new[1])] = cell
    sheet.cells = moved
    grid = sheet.properties["gridProperties"]
    grid["rowCount" if axis == 0 else "columnCount"] += count
    if axis == 0:
        sheet.row_meta = _shift_map(sheet.row_meta, start, end, True)
    else:
        sheet.column_meta = _shift_map(sheet.column_meta, start, end, True)
    _shift_ranges(spreadsheet, sheet, dimension, start, end, True)


def delete_dimension(spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int) -> None:
    """Delete rows or columns ``[start, end)`` and pull everything after them back."""
    count = end - start
    axis = 0 if dimension == "ROWS" else 1
    moved = {}
    for key, cell in sheet.cells.items():
        if start <= key[axis] < end:
            continue
        new = list(key)
        if key[axis] >= end:
            new[axis] -= count
        moved[(new[0], new[1])] = cell
    sheet.cells = moved
    grid = sheet.properties["gridProperties"]
    grid["rowCount" if axis == 0 else "columnCount"] -= count
    if axis == 0:
        sheet.row_meta = _shift_map(sheet.row_meta, start, end, False)
    else:
        sheet.column_meta = _shift_map(sheet.column_meta, start, end, False)
    _shift_ranges(spreadsheet, sheet, dimension, start, end, False)


def truncate(sheet: Sheet) -> None:
    """Drop cells that fell outside the grid after rowCount/columnCount shrank."""
    rows, cols = sheet.row_count, sheet.column_count
    sheet.cells = {(r, c): cell for (r, c), cell in sheet.cells.items() if r < rows and c < cols}
