"""A1 notation: parsing request ranges and writing response ranges the way Google does.

Bounds are zero-based and half-open, like the API's ``GridRange``; ``None`` means unbounded
(``A:D`` has no row bounds, ``5:5`` no column bounds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^\$?([A-Za-z]{0,3})\$?(\d*)$")
# Titles that need no quotes: a word that cannot be mistaken for a cell reference.
_PLAIN_TITLE = re.compile(r"^[^\W\d]\w*$")
_LOOKS_LIKE_CELL = re.compile(r"^[A-Za-z]{1,3}\d+$|^[Rr]\d*[Cc]\d*$")


@dataclass(frozen=True)
class Bounds:
    """A rectangle of a sheet; ``None`` edges are open and get clamped to the grid later."""

    start_row: int | None
    end_row: int | None
    start_col: int | None
    end_col: int | None


@dataclass(frozen=True)
class Reference:
    """A request range split into its sheet title (if any) and its cell part (if any)."""

    sheet: str | None
    cells: str | None


def column_letters(index: int) -> str:
    """Zero-based column index to letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Letters to zero-based column index (A -> 0)."""
    value = 0
    for char in letters.upper():
        value = value * 26 + (ord(char) - 64)
    return value - 1


def split(text: str) -> Reference:
    """Split ``'Sheet 1'!A1:B2`` into title and cells, undoing quote escaping."""
    text = text.strip()
    if text.startswith("'"):
        end = 1
        title = ""
        while end < len(text):
            if text[end] == "'":
                if text[end + 1 : end + 2] == "'":
                    title += "'"
                    end += 2
                    continue
                break
            title += text[end]
            end += 1
        rest = text[end + 1 :]
        if rest.startswith("!"):
            return Reference(title, rest[1:] or None)
        return Reference(title, None) if not rest else Reference(None, text)
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return Reference(title, cells or None)
    return Reference(None, text)


def parse_cells(cells: str) -> Bounds | None:
    """Parse ``A1``, ``A1:B2``, ``A:D``, ``5:5``, ``A1:C`` (any corner order); None if not A1."""
    parts = cells.split(":")
    if len(parts) > 2 or not all(parts):
        return None
    corners = [_CELL.match(part) for part in parts]
    if any(match is None or not (match.group(1) or match.group(2)) for match in corners):
        return None
    cols = [column_index(m.group(1)) if m and m.group(1) else None for m in corners]
    rows = [int(m.group(2)) - 1 if m and m.group(2) else None for m in corners]
    if any(r is not None and r < 0 for r in rows):
        return None
    if len(parts) == 1:
        if cols[0] is None or rows[0] is None:
            return None
        return Bounds(rows[0], rows[0] + 1, cols[0], cols[0] + 1)
    (r_a, r_b), (c_a, c_b) = rows, cols
    # A lone side without a row (``A:D``) or column (``5:5``) only pairs with the same kind.
    if (r_a is None) != (r_b is None) and r_a is None:
        return None
    if (c_a is None) != (c_b is None) and c_a is None:
        return None
    row_lo, row_hi = _ordered(r_a, r_b)
    col_lo, col_hi = _ordered(c_a, c_b)
    return Bounds(
        row_lo,
        None if row_hi is None else row_hi + 1,
        col_lo,
        None if col_hi is None else col_hi + 1,
    )


def _ordered(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    # Reversed corners (B2:A1) mean the same rectangle; an open end stays open (A1:C).
    if a is not None and b is not None and b < a:
        return b, a
    if a is None and b is not None:
        return 0, b
    return a, b


def quote_title(title: str) -> str:
    """Quote a sheet title for a response range exactly when Google does."""
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cell_name(row: int, col: int) -> str:
    """Zero-based coordinates to ``B3``."""
    return f"{column_letters(col)}{row + 1}"


def format_range(title: str, start_row: int, end_row: int, start_col: int, end_col: int) -> str:
    """Closed rectangle to ``Sheet1!A1:B2`` (a single cell is written as ``Sheet1!A1``)."""
    first = cell_name(start_row, start_col)
    if end_row - start_row <= 1 and end_col - start_col <= 1:
        return f"{quote_title(title)}!{first}"
    return f"{quote_title(title)}!{first}:{cell_name(end_row - 1, end_col - 1)}"
