"""Resolving request ranges against a spreadsheet and reading effective cell values.

This is the one place that knows how text like ``'학교'!A1:F`` or a named range becomes a
rectangle of a concrete sheet, and how a cell's stored input becomes the value a formula or a
reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import a1, errors, formulas
from .store import Cell, Sheet, Spreadsheet


@dataclass(frozen=True)
class Area:
    """A rectangle of one sheet, clamped to its grid (half-open bounds)."""

    spreadsheet: Spreadsheet
    sheet: Sheet
    start_row: int
    end_row: int
    start_col: int
    end_col: int

    def a1(self) -> str:
        return a1.format_range(self.sheet.title, self.start_row, self.end_row, self.start_col, self.end_col)

    def cells(self) -> list[tuple[int, int]]:
        return [
            (r, c) for r in range(self.start_row, self.end_row) for c in range(self.start_col, self.end_col)
        ]


def locate(spreadsheet: Spreadsheet, text: str) -> tuple[Sheet, a1.Bounds]:
    """Find the sheet and (unclamped) bounds a request range names, or raise 400."""
    ref = a1.split(text)
    if ref.sheet is not None:
        sheet = spreadsheet.sheet_by_title(ref.sheet)
        if sheet is None:
            raise errors.unparsable_range(text)
        if ref.cells is None:
            return sheet, a1.Bounds(None, None, None, None)
        bounds = a1.parse_cells(ref.cells)
        if bounds is not None:
            return sheet, bounds
        named = _named(spreadsheet, ref.cells)
        if named is not None and named[0] is sheet:
            return named
        raise errors.unparsable_range(text)
    cells = ref.cells or ""
    sheet = spreadsheet.sheet_by_title(cells)
    if sheet is not None:
        return sheet, a1.Bounds(None, None, None, None)
    bounds = a1.parse_cells(cells)
    if bounds is not None and spreadsheet.sheets:
        return spreadsheet.sheets[0], bounds
    named = _named(spreadsheet, cells)
    if named is not None:
        return named
    raise errors.unparsable_range(text)


def _named(spreadsheet: Spreadsheet, name: str) -> tuple[Sheet, a1.Bounds] | None:
    for named in spreadsheet.named_ranges:
        if named["name"].lower() == name.lower():
            grid = named["range"]
            sheet = spreadsheet.sheet_by_id(int(grid.get("sheetId", 0)))
            if sheet is None:
                return None
            return sheet, from_grid_range(grid)
    return None


def from_grid_range(grid: dict[str, Any]) -> a1.Bounds:
    """API ``GridRange`` dict to bounds (missing indexes are open)."""
    return a1.Bounds(
        grid.get("startRowIndex"),
        grid.get("endRowIndex"),
        grid.get("startColumnIndex"),
        grid.get("endColumnIndex"),
    )


def clamp(spreadsheet: Spreadsheet, sheet: Sheet, bounds: a1.Bounds) -> Area:
    """Clamp open or oversized bounds to the grid; a start beyond the grid is a 400."""
    start_row = bounds.start_row or 0
    start_col = bounds.start_col or 0
    if start_row >= sheet.row_count or start_col >= sheet.column_count:
        raise exceeds_grid(sheet, bounds)
    end_row = min(sheet.row_count if bounds.end_row is None else bounds.end_row, sheet.row_count)
    end_col = min(sheet.column_count if bounds.end_col is None else bounds.end_col, sheet.column_count)
    return Area(spreadsheet, sheet, start_row, end_row, start_col, end_col)


def exceeds_grid(sheet: Sheet, bounds: a1.Bounds) -> errors.ApiError:
    """The 400 Google answers for a range outside the grid."""
    start_row, start_col = bounds.start_row or 0, bounds.start_col or 0
    end_row = bounds.end_row if bounds.end_row is not None else start_row + 1
    end_col = bounds.end_col if bounds.end_col is not None else start_col + 1
    text = a1.format_range(sheet.title, start_row, end_row, start_col, end_col).split("!", 1)
    return errors.invalid_argument(
        f"Range ('{sheet.title}'!{text[1]}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
    )


def area(spreadsheet: Spreadsheet, text: str) -> Area:
    """Resolve and clamp a request range."""
    sheet, bounds = locate(spreadsheet, text)
    return clamp(spreadsheet, sheet, bounds)


class Evaluator:
    """Reads effective values, evaluating formulas on demand with cycle detection."""

    def __init__(self, spreadsheet: Spreadsheet) -> None:
        self.spreadsheet = spreadsheet
        self._visiting: set[tuple[int, int, int]] = set()

    def value(self, sheet: Sheet, row: int, col: int) -> formulas.Scalar | formulas.FormulaError:
        """The effective value of a cell: None when empty, a FormulaError for error results."""
        cell = sheet.cell(row, col)
        if cell is None or not cell.value:
            return None
        return self.of(sheet, cell, row, col)

    def of(self, sheet: Sheet, cell: Cell, row: int, col: int) -> formulas.Scalar | formulas.FormulaError:
        value = cell.value or {}
        if "numberValue" in value:
            return float(value["numberValue"])
        if "stringValue" in value:
            return str(value["stringValue"])
        if "boolValue" in value:
            return bool(value["boolValue"])
        if "formulaValue" in value:
            key = (sheet.sheet_id, row, col)
            if key in self._visiting:
                return formulas.FormulaError("#REF!", "Circular dependency detected.")
            self._visiting.add(key)
            try:
                return formulas.evaluate(str(value["formulaValue"]), lambda t, b: self._rows(sheet, t, b))
            finally:
                self._visiting.discard(key)
        if "errorValue" in value:
            return formulas.FormulaError("#ERROR!", str(value["errorValue"].get("message", "")))
        return None

    def _rows(self, home: Sheet, title: str | None, bounds: a1.Bounds) -> list[list[formulas.Scalar]]:
        sheet = home if title is None else self.spreadsheet.sheet_by_title(title)
        if sheet is None:
            raise formulas.FormulaError("#REF!", f"Unresolved sheet name '{title}'.")
        end_row = min(sheet.row_count if bounds.end_row is None else bounds.end_row, sheet.row_count)
        end_col = min(sheet.column_count if bounds.end_col is None else bounds.end_col, sheet.column_count)
        rows: list[list[formulas.Scalar]] = []
        for r in range(bounds.start_row or 0, end_row):
            row: list[formulas.Scalar] = []
            for c in range(bounds.start_col or 0, end_col):
                value = self.value(sheet, r, c)
                if isinstance(value, formulas.FormulaError):
                    raise value
                row.append(value)
            rows.append(row)
        return rows
