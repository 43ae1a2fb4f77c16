"""The ``spreadsheets.values`` resource: get, update, append and clear over the store.

Functions take a :class:`Spreadsheet` (already looked up and locked by the caller) and return
the JSON body Google would send, so the HTTP layer stays a thin router.
"""

from __future__ import annotations

import json
from typing import Any

from . import a1, errors, formulas, grid, input_parsing, number_format
from .store import Cell, Sheet, Spreadsheet

FORMATTED = "FORMATTED_VALUE"
UNFORMATTED = "UNFORMATTED_VALUE"
FORMULA = "FORMULA"
SERIAL = "SERIAL_NUMBER"
FORMATTED_STRING = "FORMATTED_STRING"


def json_number(value: float) -> int | float:
    """Google writes integral doubles without a fraction (``2`` not ``2.0``)."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _number_format(cell: Cell) -> dict[str, Any] | None:
    fmt = (cell.format or {}).get("numberFormat")
    return fmt if isinstance(fmt, dict) else None


def formatted(cell: Cell | None, value: formulas.Scalar | formulas.FormulaError) -> str:
    """The FORMATTED_VALUE text of a cell whose effective value is ``value``."""
    if value is None:
        return ""
    if isinstance(value, formulas.FormulaError):
        return value.code
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | int):
        return number_format.render(float(value), _number_format(cell) if cell else None)
    return value


def render(
    cell: Cell | None,
    value: formulas.Scalar | formulas.FormulaError,
    value_option: str,
    date_option: str,
) -> Any:
    """One cell as a values response renders it (``""`` for an empty cell)."""
    if cell is not None and value_option == FORMULA and "formulaValue" in (cell.value or {}):
        return cell.value["formulaValue"]  # type: ignore[index]
    if value_option == FORMATTED:
        return formatted(cell, value)
    if value is None:
        return ""
    if isinstance(value, formulas.FormulaError):
        return value.code
    if isinstance(value, bool | str):
        return value
    fmt = _number_format(cell) if cell else None
    if date_option == FORMATTED_STRING and fmt and fmt.get("type") in number_format.DATE_TYPES:
        return number_format.render(float(value), fmt)
    return json_number(float(value))


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    # Google drops trailing empty cells of every row and trailing empty rows.
    trimmed = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] == "":
            end -= 1
        trimmed.append(row[:end])
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def read(area: grid.Area, value_option: str, date_option: str, major: str = "ROWS") -> list[list[Any]]:
    """The trimmed matrix of rendered values of ``area``."""
    evaluator = grid.Evaluator(area.spreadsheet)
    rows = [
        [
            render(area.sheet.cell(r, c), evaluator.value(area.sheet, r, c), value_option, date_option)
            for c in range(area.start_col, area.end_col)
        ]
        for r in range(area.start_row, area.end_row)
    ]
    if major == "COLUMNS":
        rows = [list(column) for column in zip(*rows, strict=False)] if rows else []
    return _trim(rows)


def value_range(area: grid.Area, rows: list[list[Any]], major: str) -> dict[str, Any]:
    body: dict[str, Any] = {"range": area.a1(), "majorDimension": major}
    if rows:
        body["values"] = rows
    return body


def get(
    spreadsheet: Spreadsheet,
    range_text: str,
    *,
    major: str = "ROWS",
    value_option: str = FORMATTED,
    date_option: str = SERIAL,
) -> dict[str, Any]:
    """``values.get``: a ValueRange clamped to the grid and trimmed."""
    area = grid.area(spreadsheet, range_text)
    return value_range(area, read(area, value_option, date_option, major), major)


def rows_of(item: dict[str, Any], field: str) -> list[list[Any]]:
    """A ValueRange-like item's ``values`` as rows, whatever its majorDimension."""
    return _oriented(_matrix(item.get("values"), field), item.get("majorDimension"))


def _matrix(values: Any, field: str) -> list[list[Any]]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        bad = values if not isinstance(values, list) else next(r for r in values if not isinstance(r, list))
        raise errors.invalid_value(field, "type.googleapis.com/google.protobuf.ListValue", json.dumps(bad))
    return values


def _oriented(values: list[list[Any]], major: str | None) -> list[list[Any]]:
    if major != "COLUMNS":
        return values
    width = max((len(column) for column in values), default=0)
    return [[column[i] if i < len(column) else None for column in values] for i in range(width)]


def write(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    start_row: int,
    start_col: int,
    rows: list[list[Any]],
    *,
    user_entered: bool,
) -> dict[str, Any]:
    """Write a matrix at (start_row, start_col); return the UpdateValuesResponse counts."""
    touched_rows: set[int] = set()
    touched_cols: set[int] = set()
    count = 0
    for i, row in enumerate(rows):
        for j, raw in enumerate(row):
            if raw is None:  # null means "leave this cell alone"
                continue
            if isinstance(raw, dict | list):
                raise errors.invalid_value(
                    "data.values[0]", "type.googleapis.com/google.protobuf.ListValue", json.dumps(raw)
                )
            parsed = input_parsing.parse(raw, user_entered=user_entered)
            r, c = start_row + i, start_col + j
            cell = sheet.cell_for_write(r, c)
            cell.value = parsed.value
            if parsed.number_format is not None:
                cell.format = {**(cell.format or {}), "numberFormat": parsed.number_format}
            sheet.prune(r, c)
            touched_rows.add(r)
            touched_cols.add(c)
            count += 1
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    response: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if height and width:
        response["updatedRange"] = a1.format_range(
            sheet.title, start_row, start_row + height, start_col, start_col + width
        )
    else:
        response["updatedRange"] = a1.format_range(
            sheet.title, start_row, start_row + 1, start_col, start_col + 1
        )
    if count:
        response.update(updatedRows=len(touched_rows), updatedColumns=len(touched_cols), updatedCells=count)
    return response


def update(
    spreadsheet: Spreadsheet,
    range_text: str,
    body: dict[str, Any],
    *,
    user_entered: bool,
    include_values: bool = False,
    value_option: str = FORMATTED,
    date_option: str = SERIAL,
    field: str = "data.values",
) -> dict[str, Any]:
    """``values.update``: write a matrix anchored at the range's top-left corner."""
    rows = rows_of(body, field)
    sheet, bounds = grid.locate(spreadsheet, range_text)
    start_row, start_col = bounds.start_row or 0, bounds.start_col or 0
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    single = bounds.end_row is not None and bounds.end_col is not None
    single = single and bounds.end_row - start_row == 1 and bounds.end_col - start_col == 1  # type: ignore[operator]
    if not single:
        check_fits(sheet, bounds, range_text, height, width)
    if start_row + height > sheet.row_count or start_col + width > sheet.column_count:
        raise grid.exceeds_grid(sheet, a1.Bounds(start_row, start_row + height, start_col, start_col + width))
    response = write(spreadsheet, sheet, start_row, start_col, rows, user_entered=user_entered)
    if include_values:
        response["updatedData"] = updated_data(
            spreadsheet, sheet, start_row, start_col, rows, value_option=value_option, date_option=date_option
        )
    return response


def updated_data(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    start_row: int,
    start_col: int,
    rows: list[list[Any]],
    *,
    value_option: str = FORMATTED,
    date_option: str = SERIAL,
) -> dict[str, Any]:
    """The ``updatedData`` ValueRange of a write of ``rows`` at (start_row, start_col)."""
    height = max(len(rows), 1)
    width = max(max((len(row) for row in rows), default=0), 1)
    area = grid.Area(spreadsheet, sheet, start_row, start_row + height, start_col, start_col + width)
    return value_range(area, read(area, value_option, date_option), "ROWS")


def totals(spreadsheet: Spreadsheet, responses: list[dict[str, Any]]) -> dict[str, Any]:
    """A batch write's answer around its responses: the total* counts over those that wrote."""
    body: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    counted = [r for r in responses if "updatedCells" in r]
    if counted:
        body["totalUpdatedRows"] = sum(r["updatedRows"] for r in counted)
        body["totalUpdatedColumns"] = sum(r["updatedColumns"] for r in counted)
        body["totalUpdatedCells"] = sum(r["updatedCells"] for r in counted)
        body["totalUpdatedSheets"] = len({r["updatedRange"].rsplit("!", 1)[0] for r in counted})
    if responses:
        body["responses"] = responses
    return body


def check_fits(sheet: Sheet, bounds: a1.Bounds, text: str, height: int, width: int) -> None:
    """400 when ``height`` x ``width`` values do not fit the bounded sides of the range."""
    start_row, start_col = bounds.start_row or 0, bounds.start_col or 0
    shown = text if "!" in text else f"{a1.quote_title(sheet.title)}!{text}"
    if bounds.end_row is not None and start_row + height > bounds.end_row:
        raise errors.invalid_argument(
            f"Requested writing within range [{shown}], but tried writing to row [{start_row + height}]"
        )
    if bounds.end_col is not None and start_col + width > bounds.end_col:
        raise errors.invalid_argument(
            f"Requested writing within range [{shown}], but tried writing to column "
            f"[{a1.column_letters(start_col + width - 1)}]"
        )


def clear(spreadsheet: Spreadsheet, range_text: str) -> str:
    """``values.clear``: drop values (formats and notes stay); return the cleared A1 range."""
    return clear_area(grid.area(spreadsheet, range_text))


def clear_area(area: grid.Area) -> str:
    """Drop the values of ``area`` (formats and notes stay); return its A1 range."""
    for r, c in list(area.sheet.cells):
        if area.start_row <= r < area.end_row and area.start_col <= c < area.end_col:
            area.sheet.cells[(r, c)].value = None
            area.sheet.prune(r, c)
    return area.a1()


def _find_table(sheet: Sheet, area: grid.Area) -> tuple[int, int, int, int] | None:
    """The "table" append extends: the connected block holding the range's last filled cell."""
    filled = {key for key, cell in sheet.cells.items() if cell.value}
    seeds = [
        (r, c)
        for (r, c) in filled
        if area.start_row <= r < area.end_row and area.start_col <= c < area.end_col
    ]
    if not seeds:
        return None
    last = max(seeds)
    block = {last}
    frontier = [last]
    while frontier:
        r, c = frontier.pop()
        for neighbour in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if neighbour in filled and neighbour not in block:
                block.add(neighbour)
                frontier.append(neighbour)
    rows = [r for r, _ in block]
    cols = [c for _, c in block]
    return min(rows), max(rows) + 1, min(cols), max(cols) + 1


def append(
    spreadsheet: Spreadsheet,
    range_text: str,
    body: dict[str, Any],
    *,
    user_entered: bool,
    insert_rows: bool,
    include_values: bool = False,
) -> dict[str, Any]:
    """``values.append``: find the table in the range and write below it, growing the grid."""
    rows = rows_of(body, "data.values")
    area = grid.area(spreadsheet, range_text)
    sheet = area.sheet
    table = _find_table(sheet, area)
    response: dict[str, Any] = {"spreadsheetId": spreadsheet.id}
    if table is None:
        start_row, start_col = area.start_row, area.start_col
    else:
        response["tableRange"] = a1.format_range(sheet.title, *table)
        start_row, start_col = table[1], table[2]
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if insert_rows and height:
        from .structure import insert_dimension

        insert_dimension(spreadsheet, sheet, "ROWS", start_row, start_row + height)
    grid_props = sheet.properties["gridProperties"]
    grid_props["rowCount"] = max(sheet.row_count, start_row + height)
    grid_props["columnCount"] = max(sheet.column_count, start_col + width)
    updates = write(spreadsheet, sheet, start_row, start_col, rows, user_entered=user_entered)
    if include_values:
        updates["updatedData"] = updated_data(spreadsheet, sheet, start_row, start_col, rows)
    response["updates"] = updates
    return response
