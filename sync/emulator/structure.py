"""Structural edits shared by batchUpdate and values.append: inserting, deleting and moving rows
or columns, and keeping every index-based thing (cells, merges, named and protected ranges,
groups, dimension sizes, developer metadata) pointing at the same data afterwards.

Developer metadata follows its rows and columns as Google documents ("if developer metadata is
associated with row 5 and another row is then subsequently inserted above row 5, that original
metadata will still be associated with ... what is now row 6. If the associated object is
deleted its metadata is deleted too"): a metadata range shifts, grows and shrinks exactly like
any other range here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .store import Sheet, Spreadsheet

_KEYS = {"ROWS": ("startRowIndex", "endRowIndex"), "COLUMNS": ("startColumnIndex", "endColumnIndex")}
# How one span (a dict and the names of its two ends) changes; False means it is gone.
SpanEdit = Callable[[dict[str, Any], str, str], bool]


def _shift_index(index: int, start: int, end: int, inserting: bool, is_end: bool) -> int:
    count = end - start
    if inserting:
        # An insertion at a range's start pushes it along; only one strictly inside grows it.
        return index + count if index > start or (index == start and not is_end) else index
    if index <= start:
        return index
    return index - count if index >= end else start


def _shift_span(
    span: dict[str, Any], low_key: str, high_key: str, start: int, end: int, inserting: bool
) -> bool:
    low = span.get(low_key)
    high = span.get(high_key)
    if low is not None:
        span[low_key] = _shift_index(low, start, end, inserting, is_end=False)
    if high is not None:
        span[high_key] = _shift_index(high, start, end, inserting, is_end=True)
    if low is not None and high is not None:
        return bool(span[high_key] > span[low_key])
    return True


def shift_grid_range(grid: dict[str, Any], dimension: str, start: int, end: int, inserting: bool) -> bool:
    """Move a GridRange dict in place; return False when a deletion swallowed it entirely."""
    low_key, high_key = _KEYS[dimension]
    return _shift_span(grid, low_key, high_key, start, end, inserting)


def _on(metadata: dict[str, Any], sheet: Sheet, dimension: str) -> dict[str, Any] | None:
    """The dimensionRange of row or column metadata on ``sheet`` along ``dimension``, else None."""
    span: dict[str, Any] | None = metadata["location"].get("dimensionRange")
    if span is None or span.get("dimension") != dimension or int(span.get("sheetId", 0)) != sheet.sheet_id:
        return None
    return span


def _edit_spans(spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, edit: SpanEdit) -> None:
    """Apply one span edit to every range-like thing of ``sheet`` along ``dimension``."""
    low_key, high_key = _KEYS[dimension]
    sheet.merges = [m for m in sheet.merges if edit(m, low_key, high_key)]
    sheet.protected_ranges = [p for p in sheet.protected_ranges if edit(p["range"], low_key, high_key)]
    for named in spreadsheet.named_ranges:
        if int(named["range"].get("sheetId", 0)) == sheet.sheet_id:
            edit(named["range"], low_key, high_key)
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    groups[:] = [g for g in groups if edit(g["range"], "startIndex", "endIndex")]
    kept = []
    for metadata in spreadsheet.developer_metadata:
        span = _on(metadata, sheet, dimension)
        if span is None or edit(span, "startIndex", "endIndex"):
            kept.append(metadata)
    spreadsheet.developer_metadata = kept


def _remap(sheet: Sheet, dimension: str, new_index: Callable[[int], int | None]) -> None:
    """Move cells and row/column sizes to ``new_index(old)``; None drops them."""
    axis = 0 if dimension == "ROWS" else 1
    moved = {}
    for key, cell in sheet.cells.items():
        index = new_index(key[axis])
        if index is not None:
            moved[(index, key[1]) if axis == 0 else (key[0], index)] = cell
    sheet.cells = moved
    sizes = sheet.row_meta if axis == 0 else sheet.column_meta
    remapped = {new: value for old, value in sizes.items() if (new := new_index(old)) is not None}
    if axis == 0:
        sheet.row_meta = remapped
    else:
        sheet.column_meta = remapped


def _grow(sheet: Sheet, dimension: str, count: int) -> None:
    grid = sheet.properties["gridProperties"]
    grid["rowCount" if dimension == "ROWS" else "columnCount"] += count


def insert_dimension(spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int) -> None:
    """Insert ``end - start`` empty rows or columns before index ``start``."""
    count = end - start
    _remap(sheet, dimension, lambda i: i + count if i >= start else i)
    _grow(sheet, dimension, count)
    _edit_spans(spreadsheet, sheet, dimension, lambda s, lo, hi: _shift_span(s, lo, hi, start, end, True))


def inherit(sheet: Sheet, dimension: str, source: int, start: int, end: int) -> None:
    """Copy the format and validation rule of row (column) ``source`` into ``[start, end)``."""
    axis = 0 if dimension == "ROWS" else 1
    for key, cell in list(sheet.cells.items()):
        if key[axis] != source or not (cell.format or cell.validation):
            continue
        for index in range(start, end):
            target = sheet.cell_for_write(*((index, key[1]) if axis == 0 else (key[0], index)))
            target.format = copy.deepcopy(cell.format)
            target.validation = copy.deepcopy(cell.validation)


def delete_dimension(spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int) -> None:
    """Delete rows or columns ``[start, end)`` and pull everything after them back."""
    count = end - start
    _remap(sheet, dimension, lambda i: i if i < start else (None if i < end else i - count))
    _grow(sheet, dimension, -count)
    _edit_spans(spreadsheet, sheet, dimension, lambda s, lo, hi: _shift_span(s, lo, hi, start, end, False))


def move_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dimension: str, start: int, end: int, destination: int
) -> None:
    """Move ``[start, end)`` to ``destination`` (an index counted before the move, as Google's
    moveDimension counts it); a destination inside or at either edge of the block is a no-op."""
    count = end - start
    if start <= destination <= end:
        return
    # Where the block starts afterwards, and where the rows between shift to.
    landing = destination if destination < start else destination - count

    def new_index(index: int) -> int:
        if start <= index < end:
            return landing + index - start
        if destination <= index < start:
            return index + count
        if end <= index < destination:
            return index - count
        return index

    _remap(sheet, dimension, new_index)
    _edit_spans(spreadsheet, sheet, dimension, lambda s, lo, hi: _move_span(s, lo, hi, start, end, landing))


def _move_span(span: dict[str, Any], low_key: str, high_key: str, start: int, end: int, landing: int) -> bool:
    low, high = span.get(low_key), span.get(high_key)
    if low is not None and high is not None and start <= low and high <= end:
        # Wholly inside the moved block: it travels with it.
        span[low_key], span[high_key] = landing + low - start, landing + high - start
        return True
    # Otherwise the block leaves it (it shrinks) and lands elsewhere (it grows only if the block
    # lands strictly inside it), exactly as a cut and an insert would change it.
    _shift_span(span, low_key, high_key, start, end, False)
    _shift_span(span, low_key, high_key, landing, landing + end - start, True)
    return True


def follow_sorted_rows(spreadsheet: Spreadsheet, sheet: Sheet, moved: dict[int, int]) -> None:
    """After a sort moved row ``old`` to ``moved[old]``, move single-row metadata with it.

    A sort reorders the data of the rows it covers, and metadata on one row names that row's
    record, so it goes where the record went. Metadata over several rows names the block, which
    a sort inside it does not move.
    """
    for metadata in spreadsheet.developer_metadata:
        span = _on(metadata, sheet, "ROWS")
        if span is None or span["endIndex"] - span["startIndex"] != 1 or span["startIndex"] not in moved:
            continue
        span["startIndex"] = moved[span["startIndex"]]
        span["endIndex"] = span["startIndex"] + 1


def truncate(spreadsheet: Spreadsheet, sheet: Sheet) -> None:
    """Drop what fell outside the grid after rowCount/columnCount shrank (as deleting the rows
    or columns past the new edge would)."""
    rows, cols = sheet.row_count, sheet.column_count
    sheet.cells = {(r, c): cell for (r, c), cell in sheet.cells.items() if r < rows and c < cols}
    _edit_spans(spreadsheet, sheet, "ROWS", lambda s, lo, hi: _clip_span(s, lo, hi, rows))
    _edit_spans(spreadsheet, sheet, "COLUMNS", lambda s, lo, hi: _clip_span(s, lo, hi, cols))


def _clip_span(span: dict[str, Any], low_key: str, high_key: str, size: int) -> bool:
    if span.get(low_key) is not None and span[low_key] >= size:
        return False
    if span.get(high_key) is not None:
        span[high_key] = min(span[high_key], size)
    return True
