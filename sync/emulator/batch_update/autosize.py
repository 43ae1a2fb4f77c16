"""``autoResizeDimensions``: column widths measured from the rendered text, as Google does."""

from __future__ import annotations

from typing import Any

from .. import grid, values
from ..store import Cell, Spreadsheet
from . import targets


def auto_resize_dimensions(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    rng = payload.get("dimensions") or {}
    sheet, dimension, start, end = targets.dimension_range(spreadsheet, rng)
    evaluator = grid.Evaluator(spreadsheet)
    for index in range(start, end):
        if dimension == "ROWS":
            sheet.row_meta[index] = {"pixelSize": 21}
            continue
        widest = 0
        for (r, c), cell in sheet.cells.items():
            if c == index and cell.value:
                text = values.formatted(cell, evaluator.value(sheet, r, c))
                widest = max(widest, _text_width(text, _font_size(spreadsheet, cell)))
        sheet.column_meta[index] = {"pixelSize": widest + _CELL_CHROME if widest else 100}


def _font_size(spreadsheet: Spreadsheet, cell: Cell) -> float:
    text_format = (cell.format or {}).get("textFormat") or {}
    default = ((spreadsheet.properties.get("defaultFormat") or {}).get("textFormat") or {}).get("fontSize")
    return float(text_format.get("fontSize") or default or 10)


# Advance widths of Arial (metric-compatible with Helvetica; Adobe's AFM values, per 1000 em)
# for printable ASCII from the space (32) to the tilde (126).
_ARIAL_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
# Pixels per em Google's renderer gives a 10pt font.  The only number taken from Google's
# output: 1024 capital A's (667/1000 em each) autosize to 8691 px, i.e. 8684 px of text.
_EM_PIXELS_PER_POINT = 1.27148
# Left and right cell padding of the default format (3 + 3) plus the 1 px gridline.
_CELL_CHROME = 7


def _glyph_em(char: str) -> float:
    if 32 <= ord(char) <= 126:
        return _ARIAL_WIDTHS[ord(char) - 32] / 1000
    # CJK and other wide scripts are drawn one em wide; everything else at an average width.
    return 1.0 if ord(char) >= 0x2E80 else 0.556


def _text_width(text: str, font_size: float) -> int:
    """Rendered width in pixels of one line of ``text`` (the widest line of a wrapped cell)."""
    em = max((sum(_glyph_em(c) for c in line) for line in text.split("\n")), default=0.0)
    return round(em * font_size * _EM_PIXELS_PER_POINT)
