"""``spreadsheets.batchUpdate``: one handler per request kind, applied all-or-nothing."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from typing import Any

from . import a1, defaults, errors, fields, grid, structure, values
from .resource import public_range
from .store import Cell, Sheet, Spreadsheet, new_numeric_id


class RequestError(Exception):
    """A request-level problem; the dispatcher prefixes it with ``Invalid requests[i].kind:``."""


Handler = Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[name] = function
        return function

    return register


def apply(spreadsheet: Spreadsheet, body: dict[str, Any], *, account: str) -> dict[str, Any]:
    """Run every request in order; any failure rolls the whole spreadsheet back.

    ``account`` is the caller, whom Google lists as an editor of every protected range.
    """
    requests = body.get("requests") or []
    snapshot = copy.deepcopy(spreadsheet.to_json())
    replies: list[dict[str, Any]] = []
    try:
        for position, request in enumerate(requests):
            if len(request) != 1:
                raise errors.invalid_argument(f"Invalid requests[{position}]: exactly one kind must be set.")
            kind, payload = next(iter(request.items()))
            function = _HANDLERS.get(kind)
            if function is None:
                raise errors.invalid_argument(
                    f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{position}]': "
                    "Cannot find field."
                )
            try:
                reply = function(spreadsheet, payload or {})
            except RequestError as problem:
                raise errors.invalid_argument(f"Invalid requests[{position}].{kind}: {problem}") from None
            replies.append({kind: reply} if reply is not None else {})
    except errors.ApiError:
        restored = Spreadsheet.from_json(snapshot)
        vars(spreadsheet).update(vars(restored))
        raise
    response: dict[str, Any] = {"spreadsheetId": spreadsheet.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        from .resource import build

        response["updatedSpreadsheet"] = build(spreadsheet, include_grid=False, ranges=[], account=account)
    return response


def _sheet(spreadsheet: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = spreadsheet.sheet_by_id(int(sheet_id or 0))
    if sheet is None:
        raise RequestError(f"No grid with id: {sheet_id or 0}")
    return sheet


def _area(spreadsheet: Spreadsheet, grid_range: dict[str, Any]) -> grid.Area:
    sheet = _sheet(spreadsheet, grid_range.get("sheetId"))
    return grid.clamp(spreadsheet, sheet, grid.from_grid_range(grid_range))


# ----- sheets -----


@handler("addSheet")
def add_sheet(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(payload.get("properties") or {})
    title = props.get("title") or _free_title(spreadsheet)
    if spreadsheet.sheet_by_title(title) is not None and spreadsheet.sheet_by_title(title).title == title:  # type: ignore[union-attr]
        raise RequestError(f'A sheet with the name "{title}" already exists. Please enter another name.')
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = new_numeric_id()
    elif spreadsheet.sheet_by_id(int(sheet_id)) is not None:
        raise RequestError(f"A sheet with the id {sheet_id} already exists.")
    grid_props = props.get("gridProperties") or {}
    index = props.get("index", len(spreadsheet.sheets))
    full = defaults.sheet_properties(
        int(sheet_id),
        title,
        len(spreadsheet.sheets),
        int(grid_props.get("rowCount", defaults.ROW_COUNT)),
        int(grid_props.get("columnCount", defaults.COLUMN_COUNT)),
    )
    for key in ("frozenRowCount", "frozenColumnCount", "hideGridlines"):
        if grid_props.get(key):
            full["gridProperties"][key] = grid_props[key]
    for key in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
        if props.get(key):
            full[key] = props[key]
    sheet = Sheet(properties=full)
    _move(spreadsheet, sheet, index, adding=True)
    return {"properties": copy.deepcopy(sheet.properties)}


def _free_title(spreadsheet: Spreadsheet) -> str:
    number = len(spreadsheet.sheets) + 1
    while spreadsheet.sheet_by_title(f"Sheet{number}") is not None:
        number += 1
    return f"Sheet{number}"


def _move(spreadsheet: Spreadsheet, sheet: Sheet, index: int, *, adding: bool = False) -> None:
    others = [s for s in spreadsheet.sheets if s is not sheet]
    others.insert(max(0, min(int(index), len(others))), sheet)
    spreadsheet.sheets = others
    for position, item in enumerate(others):
        item.properties["index"] = position


@handler("deleteSheet")
def delete_sheet(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = _sheet(spreadsheet, payload.get("sheetId"))
    if len(spreadsheet.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    spreadsheet.sheets.remove(sheet)
    spreadsheet.named_ranges = [
        n for n in spreadsheet.named_ranges if int(n["range"].get("sheetId", 0)) != sheet.sheet_id
    ]
    spreadsheet.developer_metadata = [
        m for m in spreadsheet.developer_metadata if m["location"].get("sheetId") != sheet.sheet_id
    ]
    spreadsheet.reindex()


@handler("duplicateSheet")
def duplicate_sheet(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    source = _sheet(spreadsheet, payload.get("sourceSheetId"))
    copy_sheet = Sheet.from_json(copy.deepcopy(source.to_json()))
    copy_sheet.properties["sheetId"] = int(payload.get("newSheetId") or new_numeric_id())
    copy_sheet.properties["title"] = payload.get("newSheetName") or f"Copy of {source.title}"
    _move(spreadsheet, copy_sheet, payload.get("insertSheetIndex", len(spreadsheet.sheets)))
    return {"properties": copy.deepcopy(copy_sheet.properties)}


@handler("updateSheetProperties")
def update_sheet_properties(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    props = payload.get("properties") or {}
    sheet = _sheet(spreadsheet, props.get("sheetId"))
    paths = fields.parse(payload.get("fields") or "")
    if not paths:
        raise RequestError("At least one field must be updated, but 'fields' is empty.")
    if any(p == ("*",) for p in paths):
        paths = [(k,) for k in props if k != "sheetId"]
    new_index = props.get("index") if any(p[0] == "index" for p in paths) else None
    new_title = props.get("title") if any(p[0] == "title" for p in paths) else None
    if new_title is not None:
        clash = next(
            (s for s in spreadsheet.sheets if s.title.lower() == new_title.lower() and s is not sheet), None
        )
        if clash is not None:
            raise RequestError(
                f'A sheet with the name "{new_title}" already exists. Please enter another name.'
            )
    fields.assign(sheet.properties, props, paths, skip=frozenset({"sheetId", "index"}))
    if sheet.properties.get("hidden") and all(s.properties.get("hidden") for s in spreadsheet.sheets):
        raise RequestError("You can't hide all the sheets in a document.")
    if new_index is not None:
        _move(spreadsheet, sheet, new_index)
    structure.truncate(sheet)


@handler("updateSpreadsheetProperties")
def update_spreadsheet_properties(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    paths = fields.parse(payload.get("fields") or "")
    fields.assign(spreadsheet.properties, payload.get("properties") or {}, paths)


# ----- dimensions -----


def _dimension_range(spreadsheet: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, str, int, int]:
    sheet = _sheet(spreadsheet, rng.get("sheetId"))
    dimension = rng.get("dimension", "ROWS")
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    start = int(rng.get("startIndex", 0))
    end = int(rng.get("endIndex", size))
    if start < 0 or end <= start:
        raise RequestError("The range must have a positive length.")
    return sheet, dimension, start, end


@handler("insertDimension")
def insert_dimension(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    rng = payload.get("range") or {}
    sheet = _sheet(spreadsheet, rng.get("sheetId"))
    dimension = rng.get("dimension", "ROWS")
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if start > size or end <= start:
        raise RequestError(
            f"range.startIndex ({start}) must be less than or equal to the sheet size ({size})."
        )
    structure.insert_dimension(spreadsheet, sheet, dimension, start, end)


@handler("appendDimension")
def append_dimension(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = _sheet(spreadsheet, payload.get("sheetId"))
    key = "rowCount" if payload.get("dimension", "ROWS") == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += int(payload.get("length", 0))


@handler("deleteDimension")
def delete_dimension(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = _dimension_range(spreadsheet, payload.get("range") or {})
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    end = min(end, size)
    if dimension == "ROWS" and start == 0 and end >= size:
        raise RequestError("You can't delete all the rows on the sheet.")
    if dimension == "COLUMNS" and start == 0 and end >= size:
        raise RequestError("You can't delete all the columns on the sheet.")
    structure.delete_dimension(spreadsheet, sheet, dimension, start, end)


@handler("updateDimensionProperties")
def update_dimension_properties(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = _dimension_range(spreadsheet, payload.get("range") or {})
    meta = sheet.row_meta if dimension == "ROWS" else sheet.column_meta
    default = 21 if dimension == "ROWS" else 100
    paths = fields.parse(payload.get("fields") or "*")
    for index in range(start, end):
        entry = meta.setdefault(index, {"pixelSize": default})
        fields.assign(entry, payload.get("properties") or {}, paths)


@handler("autoResizeDimensions")
def auto_resize_dimensions(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    rng = payload.get("dimensions") or {}
    sheet, dimension, start, end = _dimension_range(spreadsheet, rng)
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


@handler("addDimensionGroup")
def add_dimension_group(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    sheet, dimension, start, end = _dimension_range(spreadsheet, payload.get("range") or {})
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    depth = 1 + sum(1 for g in groups if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"])
    groups.append({"range": {"dimension": dimension, "startIndex": start, "endIndex": end}, "depth": depth})
    groups.sort(key=lambda g: (g["range"]["startIndex"], g["depth"]))
    control = "rowGroupControlAfter" if dimension == "ROWS" else "columnGroupControlAfter"
    sheet.properties["gridProperties"][control] = True
    return {"dimensionGroups": copy.deepcopy(groups)}


@handler("deleteDimensionGroup")
def delete_dimension_group(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    sheet, dimension, start, end = _dimension_range(spreadsheet, payload.get("range") or {})
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    groups[:] = [
        g for g in groups if not (g["range"]["startIndex"] == start and g["range"]["endIndex"] == end)
    ]
    return {"dimensionGroups": copy.deepcopy(groups)} if groups else {}


# ----- cells -----


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


@handler("updateCells")
def update_cells(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    paths = fields.parse(payload.get("fields") or "")
    rows = payload.get("rows") or []
    if "range" in payload:
        area = _area(spreadsheet, payload["range"])
        start_row, start_col = area.start_row, area.start_col
        height, width = area.end_row - area.start_row, area.end_col - area.start_col
    else:
        start = payload.get("start") or {}
        area = _area(
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


@handler("repeatCell")
def repeat_cell(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = _area(spreadsheet, payload.get("range") or {})
    paths = fields.parse(payload.get("fields") or "")
    for r, c in area.cells():
        cell = area.sheet.cell_for_write(r, c)
        _apply_cell(cell, payload.get("cell") or {}, paths)
        area.sheet.prune(r, c)


@handler("setDataValidation")
def set_data_validation(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = _area(spreadsheet, payload.get("range") or {})
    for r, c in area.cells():
        area.sheet.cell_for_write(r, c).validation = copy.deepcopy(payload.get("rule")) or None
        area.sheet.prune(r, c)


@handler("mergeCells")
def merge_cells(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = _area(spreadsheet, payload.get("range") or {})
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


@handler("unmergeCells")
def unmerge_cells(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = _area(spreadsheet, payload.get("range") or {})
    area.sheet.merges = [
        m
        for m in area.sheet.merges
        if not _overlaps(m, area.start_row, area.end_row, area.start_col, area.end_col)
    ]


def _sort_key(value: Any) -> tuple[int, Any]:
    # Sheets orders numbers before text before booleans, and blanks always last.
    if value is None:
        return (3, 0)
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).lower())


@handler("sortRange")
def sort_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    area = _area(spreadsheet, payload.get("range") or {})
    sheet = area.sheet
    evaluator = grid.Evaluator(spreadsheet)
    rows = [
        {c: sheet.cells.pop((r, c)) for c in range(area.start_col, area.end_col) if (r, c) in sheet.cells}
        for r in range(area.start_row, area.end_row)
    ]
    keyed = []
    for offset, row in enumerate(rows):
        keys = []
        for spec in payload.get("sortSpecs") or []:
            column = int(spec.get("dimensionIndex", 0))
            cell = row.get(column)
            keys.append(evaluator.of(sheet, cell, area.start_row + offset, column) if cell else None)
        keyed.append((keys, row))
    for index, spec in reversed(list(enumerate(payload.get("sortSpecs") or []))):
        descending = spec.get("sortOrder") == "DESCENDING"
        present = [k for k in keyed if k[0][index] is not None]
        blanks = [k for k in keyed if k[0][index] is None]
        present.sort(key=lambda item, i=index: _sort_key(item[0][i]), reverse=descending)  # type: ignore[misc]
        keyed = present + blanks
    for offset, (_, row) in enumerate(keyed):
        for column, cell in row.items():
            sheet.cells[(area.start_row + offset, column)] = cell


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


@handler("copyPaste")
def copy_paste(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    source = _area(spreadsheet, payload.get("source") or {})
    destination = _area(spreadsheet, payload.get("destination") or {})
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


@handler("cutPaste")
def cut_paste(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    source = _area(spreadsheet, payload.get("source") or {})
    dest = payload.get("destination") or {}
    sheet = _sheet(spreadsheet, dest.get("sheetId"))
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


def _replacement(found: re.Match[str], replacement: str, payload: dict[str, Any]) -> str:
    if not payload.get("searchByRegex"):
        return replacement
    # Regex replacements refer to groups as $1, as Sheets' find-and-replace dialog does.
    return re.sub(r"\$(\d+)", lambda ref: found.group(int(ref.group(1))) or "", replacement)


@handler("findReplace")
def find_replace(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    find, replacement = str(payload.get("find", "")), str(payload.get("replacement", ""))
    if not find:
        raise RequestError("find must be set.")
    pattern = find if payload.get("searchByRegex") else re.escape(find)
    if payload.get("matchEntireCell"):
        pattern = f"^(?:{pattern})$"
    try:
        # Sheets' find is case-insensitive unless matchCase is set.
        finder = re.compile(pattern, 0 if payload.get("matchCase") else re.IGNORECASE)
    except re.error:
        raise RequestError(f"Invalid regular expression: {find}") from None
    if "range" in payload:
        scopes = [_area(spreadsheet, payload["range"])]
    elif payload.get("allSheets"):
        scopes = [grid.clamp(spreadsheet, s, grid.from_grid_range({})) for s in spreadsheet.sheets]
    else:
        sheet = _sheet(spreadsheet, payload.get("sheetId"))
        scopes = [grid.clamp(spreadsheet, sheet, grid.from_grid_range({}))]
    cells = rows = occurrences = 0
    sheets = 0
    for area in scopes:
        changed_rows: set[int] = set()
        for (r, c), cell in sorted(area.sheet.cells.items()):
            if not (area.start_row <= r < area.end_row and area.start_col <= c < area.end_col):
                continue
            searched = {"stringValue", "formulaValue"} if payload.get("includeFormulas") else {"stringValue"}
            key, text = next(iter((cell.value or {}).items()), ("", None))
            if key not in searched or not isinstance(text, str):
                continue
            new_text, count = finder.subn(lambda found: _replacement(found, replacement, payload), text)
            if count:
                cell.value = {key: new_text}
                cells += 1
                occurrences += count
                changed_rows.add(r)
        rows += len(changed_rows)
        sheets += bool(changed_rows)
    if not cells:
        return {}
    return {
        "valuesChanged": cells,
        "rowsChanged": rows,
        "sheetsChanged": sheets,
        "occurrencesChanged": occurrences,
    }


# ----- named and protected ranges, metadata -----


@handler("addNamedRange")
def add_named_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    named = copy.deepcopy(payload.get("namedRange") or {})
    name = named.get("name", "")
    if any(n["name"].lower() == name.lower() for n in spreadsheet.named_ranges):
        raise RequestError(f"Named range with name {name} already exists.")
    if not name or a1.parse_cells(name) is not None:
        raise RequestError(f"Invalid named range name: {name}")
    _sheet(spreadsheet, named.get("range", {}).get("sheetId"))
    entry = {
        "namedRangeId": str(named.get("namedRangeId") or new_numeric_id()),
        "name": name,
        "range": named["range"],
    }
    spreadsheet.named_ranges.append(entry)
    return {
        "namedRange": {
            **{k: v for k, v in entry.items() if k != "range"},
            "range": public_range(entry["range"]),
        }
    }


@handler("deleteNamedRange")
def delete_named_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    wanted = str(payload.get("namedRangeId"))
    if not any(n["namedRangeId"] == wanted for n in spreadsheet.named_ranges):
        raise RequestError(f"No named range with id: {wanted}")
    spreadsheet.named_ranges = [n for n in spreadsheet.named_ranges if n["namedRangeId"] != wanted]


@handler("addProtectedRange")
def add_protected_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    requested = payload.get("protectedRange") or {}
    sheet = _sheet(spreadsheet, (requested.get("range") or {}).get("sheetId"))
    entry: dict[str, Any] = {"protectedRangeId": int(requested.get("protectedRangeId") or new_numeric_id())}
    entry["range"] = copy.deepcopy(requested.get("range") or {})
    if requested.get("description"):
        entry["description"] = requested["description"]
    if requested.get("warningOnly"):
        entry["warningOnly"] = True
    # Read-only in the API: the caller made the protection, so the caller can always edit it.
    entry["requestingUserCanEdit"] = True
    # Google ignores editors on a warning-only range; empty lists are proto defaults and vanish.
    editors = {} if requested.get("warningOnly") else (requested.get("editors") or {})
    entry["editors"] = {key: copy.deepcopy(value) for key, value in editors.items() if value}
    sheet.protected_ranges.append(entry)
    reply = copy.deepcopy(entry)
    reply["range"] = public_range(reply["range"])
    return {"protectedRange": reply}


@handler("deleteProtectedRange")
def delete_protected_range(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    wanted = int(payload.get("protectedRangeId", -1))
    for sheet in spreadsheet.sheets:
        sheet.protected_ranges = [p for p in sheet.protected_ranges if p["protectedRangeId"] != wanted]


@handler("createDeveloperMetadata")
def create_developer_metadata(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    metadata = copy.deepcopy(payload.get("developerMetadata") or {})
    metadata.setdefault("metadataId", new_numeric_id())
    location = metadata.setdefault("location", {"spreadsheet": True})
    if location.get("spreadsheet"):
        location["locationType"] = "SPREADSHEET"
    elif "sheetId" in location:
        location["locationType"] = "SHEET"
    elif "dimensionRange" in location:
        location["locationType"] = (
            "ROW" if location["dimensionRange"].get("dimension") == "ROWS" else "COLUMN"
        )
    metadata.setdefault("visibility", "DOCUMENT")
    spreadsheet.developer_metadata.append(metadata)
    return {"developerMetadata": copy.deepcopy(metadata)}


@handler("deleteDeveloperMetadata")
def delete_developer_metadata(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    matched = search_metadata(spreadsheet, [payload.get("dataFilter") or {}])
    ids = {m["developerMetadata"]["metadataId"] for m in matched}
    spreadsheet.developer_metadata = [m for m in spreadsheet.developer_metadata if m["metadataId"] not in ids]
    return {"deletedDeveloperMetadata": [m["developerMetadata"] for m in matched]}


def search_metadata(spreadsheet: Spreadsheet, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``developerMetadata:search``: metadata matching any DataFilter's developerMetadataLookup."""
    matched: list[dict[str, Any]] = []
    for data_filter in filters:
        lookup = data_filter.get("developerMetadataLookup") or {}
        for metadata in spreadsheet.developer_metadata:
            if "metadataId" in lookup and int(lookup["metadataId"]) != metadata["metadataId"]:
                continue
            if "metadataKey" in lookup and lookup["metadataKey"] != metadata.get("metadataKey"):
                continue
            if "metadataValue" in lookup and lookup["metadataValue"] != metadata.get("metadataValue"):
                continue
            if "visibility" in lookup and lookup["visibility"] != metadata.get("visibility"):
                continue
            if lookup.get("locationType") and lookup["locationType"] != metadata["location"].get(
                "locationType"
            ):
                continue
            if any(m["developerMetadata"] is metadata for m in matched):
                continue
            matched.append({"developerMetadata": metadata, "dataFilters": [data_filter]})
    return copy.deepcopy(matched)


@handler("setBasicFilter")
def set_basic_filter(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    basic = copy.deepcopy(payload.get("filter") or {})
    sheet = _sheet(spreadsheet, (basic.get("range") or {}).get("sheetId"))
    basic["range"] = public_range(basic.get("range") or {})
    sheet.basic_filter = basic


@handler("clearBasicFilter")
def clear_basic_filter(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    _sheet(spreadsheet, payload.get("sheetId")).basic_filter = None


@handler("trimWhitespace")
def trim_whitespace(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """Strip the ends of every text cell and squeeze inner runs of whitespace to one space."""
    area = _area(spreadsheet, payload.get("range") or {})
    changed = 0
    for (r, c), cell in list(area.sheet.cells.items()):
        if not (area.start_row <= r < area.end_row and area.start_col <= c < area.end_col):
            continue
        text = (cell.value or {}).get("stringValue")
        if not isinstance(text, str):
            continue
        trimmed = " ".join(text.split())
        if trimmed != text:
            # The result stays text even when it now starts with "=" or "+" (Google's rule).
            cell.value = {"stringValue": trimmed} if trimmed else None
            area.sheet.prune(r, c)
            changed += 1
    return {"cellsChangedCount": changed} if changed else {}


_DELIMITERS = {"COMMA": ",", "SEMICOLON": ";", "PERIOD": ".", "SPACE": " "}


@handler("textToColumns")
def text_to_columns(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    """Split one column of text at a delimiter into the columns to its right, typed as a user would."""
    area = _area(spreadsheet, payload.get("source") or {})
    if area.end_col - area.start_col != 1:
        raise RequestError("The source range must span exactly one column.")
    texts: dict[int, str] = {}
    for (r, c), cell in area.sheet.cells.items():
        text = (cell.value or {}).get("stringValue")
        if c == area.start_col and area.start_row <= r < area.end_row and isinstance(text, str):
            texts[r] = text
    kind = payload.get("delimiterType") or "DELIMITER_TYPE_UNSPECIFIED"
    if kind == "CUSTOM":
        delimiter = str(payload.get("delimiter") or "")
    elif kind in _DELIMITERS:
        delimiter = _DELIMITERS[kind]
    else:
        # AUTODETECT (the default): the first of comma, semicolon, space that occurs; a period is
        # never guessed because it is far more often a decimal point.
        delimiter = next((d for d in (",", ";", " ") if any(d in t for t in texts.values())), ",")
    if not delimiter:
        raise RequestError("delimiter must be set when delimiterType is CUSTOM.")
    for r, text in texts.items():
        parts = text.split(delimiter)
        if len(parts) > area.sheet.column_count - area.start_col:
            area.sheet.properties["gridProperties"]["columnCount"] = area.start_col + len(parts)
        values.write(spreadsheet, area.sheet, r, area.start_col, [parts], user_entered=True)


def _noop(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    """Requests that only change presentation the emulator does not model (borders, banding...)."""


for _name in (
    "updateBorders",
    "addConditionalFormatRule",
    "deleteConditionalFormatRule",
    "addBanding",
    "updateEmbeddedObjectPosition",
):
    _HANDLERS[_name] = functools.partial(_noop)
