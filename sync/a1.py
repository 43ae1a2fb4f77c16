"""A1 notation for the few ranges the worker writes."""

from __future__ import annotations

import re

_END_ROW = re.compile(r"[A-Z]+(\d+)$")


def column_letter(index: int) -> str:
    """0-based column index -> letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def split(reference: str) -> tuple[str, str] | None:
    """``'학교'!B2:B`` or ``학교!B2:B`` (Google quotes a title only when it must) -> (title, cells)."""
    title, bang, cells = reference.rpartition("!")
    if not bang or not title:
        return None
    if len(title) > 1 and title[0] == title[-1] == "'":
        title = title[1:-1].replace("''", "'")
    return title, cells


def cell(title: str, row: int, column: int) -> str:
    """``'탭'!C5`` for 1-based ``row`` and 0-based ``column``."""
    return f"{quote(title)}!{column_letter(column)}{row}"


def row_range(title: str, row: int, width: int) -> str:
    return f"{quote(title)}!A{row}:{column_letter(max(width, 1) - 1)}{row}"


def grid_rows(returned_range: str) -> int | None:
    """The last row of a range Google returned (clamped to the grid), e.g. ``'학교'!A1:Z1000`` -> 1000."""
    match = _END_ROW.search(returned_range.rsplit(":", 1)[-1])
    return int(match[1]) if match else None
