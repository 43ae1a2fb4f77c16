"""``spreadsheets.get``: the Spreadsheet resource, optionally with grid data, then masked."""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from . import errors, fields, formulas, grid, values
from .store import Cell, Sheet, Spreadsheet

_SPREADSHEET_KEYS = {
    "spreadsheetId",
    "properties",
    "sheets",
    "namedRanges",
    "spreadsheetUrl",
    "developerMetadata",
    "dataSources",
    "dataSourceSchedules",
}
_SHEET_KEYS = {
    "properties",
    "data",
    "merges",
    "conditionalFormats",
    "filterViews",
    "protectedRanges",
    "basicFilter",
    "charts",
    "bandedRanges",
    "developerMetadata",
    "rowGroups",
    "columnGroups",
    "slicers",
    "tables",
}


def public_range(grid_range: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as Google writes it: ``sheetId`` 0 is a proto default and is left out."""
    out = {k: v for k, v in grid_range.items() if k != "sheetId"}
    if grid_range.get("sheetId"):
        out = {"sheetId": grid_range["sheetId"], **out}
    return out


def _with_styles(fmt: dict[str, Any]) -> dict[str, Any]:
    # Sheets mirrors every plain colour into its *Style twin on read.
    out = copy.deepcopy(fmt)
    if "backgroundColor" in out:
        out["backgroundColorStyle"] = {"rgbColor": out["backgroundColor"]}
    text = out.get("textFormat")
    if isinstance(text, dict) and "foregroundColor" in text:
        text["foregroundColorStyle"] = {"rgbColor": text["foregroundColor"]}
    return out


# The CellData keys the emulator can fill in.
CELL_KEYS = frozenset(
    {
        "userEnteredValue",
        "effectiveValue",
        "formattedValue",
        "userEnteredFormat",
        "effectiveFormat",
        "note",
        "dataValidation",
    }
)


@dataclass(frozen=True)
class GridParts:
    """The ``fields`` mask below one GridData, applied while building it.

    Building effectiveValue, formattedValue and effectiveFormat for every cell of a large tab,
    then masking them away, cost seconds; a reader asking for ``userEnteredValue`` and notes of
    10,000 rows should only pay for those. ``tree`` None keeps the whole GridData.
    """

    tree: fields.Tree | None = None

    def wants(self, key: str) -> bool:
        return self.tree is None or key in self.tree

    def below(self, key: str) -> fields.Tree | None:
        return None if self.tree is None else self.tree[key]


def _split_mask(tree: fields.Tree | None) -> tuple[GridParts, fields.Tree | None]:
    """The grid part of a Spreadsheet mask, and the rest with ``sheets.data`` kept whole (it is
    masked while it is built)."""
    sheets = None if tree is None else tree.get("sheets")
    if tree is None or sheets is None or "data" not in sheets:
        return GridParts(), tree
    return GridParts(sheets["data"]), {**tree, "sheets": {**sheets, "data": None}}


def cell_data(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    cell: Cell | None,
    row: int,
    col: int,
    evaluator: grid.Evaluator,
    default_format: dict[str, Any],
    keys: frozenset[str] = CELL_KEYS,
) -> dict[str, Any]:
    """One CellData object (``{}`` for an untouched cell), limited to ``keys`` when given."""
    if cell is None:
        return {}
    data: dict[str, Any] = {}
    if cell.value:
        if "userEnteredValue" in keys:
            data["userEnteredValue"] = cell.value
        if "effectiveValue" in keys or "formattedValue" in keys:
            effective = evaluator.value(sheet, row, col)
            if "effectiveValue" in keys:
                data.update(_effective_value(effective))
            if "formattedValue" in keys:
                data["formattedValue"] = values.formatted(cell, effective)
    if cell.format and "userEnteredFormat" in keys:
        data["userEnteredFormat"] = _with_styles(cell.format)
    if (cell.value or cell.format) and "effectiveFormat" in keys:
        effective_format = {**copy.deepcopy(default_format), **_with_styles(cell.format or {})}
        effective_format.setdefault("hyperlinkDisplayType", "PLAIN_TEXT")
        data["effectiveFormat"] = effective_format
    if cell.note and "note" in keys:
        data["note"] = cell.note
    if cell.validation and "dataValidation" in keys:
        data["dataValidation"] = cell.validation
    return data


def _effective_value(effective: formulas.Scalar | formulas.FormulaError) -> dict[str, Any]:
    if isinstance(effective, formulas.FormulaError):
        return {"effectiveValue": {"errorValue": effective.as_error_value()}}
    if isinstance(effective, bool):
        return {"effectiveValue": {"boolValue": effective}}
    if isinstance(effective, float | int):
        return {"effectiveValue": {"numberValue": values.json_number(effective)}}
    if effective is not None:
        return {"effectiveValue": {"stringValue": effective}}
    return {}


class _DimensionMetadata:
    """Metadata located on exactly one row (or column), by sheet, dimension and index.

    DimensionProperties.developerMetadata is "the developer metadata associated with a single
    row or column"; metadata over several rows appears on none of them. Gathered once per
    answer: an answer may hold thousands of one-row areas (a getByDataFilter by anchor).
    """

    def __init__(self, spreadsheet: Spreadsheet) -> None:
        self.spreadsheet = spreadsheet
        self._found: dict[tuple[int, str], dict[int, list[dict[str, Any]]]] | None = None

    def on(self, sheet: Sheet, dimension: str) -> dict[int, list[dict[str, Any]]]:
        if self._found is None:
            self._found = {}
            for metadata in self.spreadsheet.developer_metadata:
                span = metadata["location"].get("dimensionRange")
                if span is not None and span["endIndex"] - span["startIndex"] == 1:
                    where = (int(span.get("sheetId", 0)), span["dimension"])
                    self._found.setdefault(where, {}).setdefault(span["startIndex"], []).append(metadata)
        return self._found.get((sheet.sheet_id, dimension), {})


def _dimension_properties(
    sizes: dict[int, dict[str, Any]], default: int, metadata: dict[int, list[dict[str, Any]]], index: int
) -> dict[str, Any]:
    properties = sizes.get(index, {"pixelSize": default})
    if index in metadata:
        # Not copied: the answer is serialized at once, under the store lock, like the cells.
        properties = {**properties, "developerMetadata": metadata[index]}
    return properties


def grid_data(
    spreadsheet: Spreadsheet,
    area: grid.Area,
    parts: GridParts = GridParts(),
    metadata: _DimensionMetadata | None = None,
) -> dict[str, Any]:
    """GridData for one rectangle, already masked by ``parts``; ``get`` trims it as the API does."""
    sheet = area.sheet
    metadata = metadata or _DimensionMetadata(spreadsheet)
    data: dict[str, Any] = {}
    if area.start_row and parts.wants("startRow"):
        data["startRow"] = area.start_row
    if area.start_col and parts.wants("startColumn"):
        data["startColumn"] = area.start_col
    if parts.wants("rowData"):
        data["rowData"] = _row_data(spreadsheet, area, parts.below("rowData"))
    if parts.wants("rowMetadata"):
        on_rows = metadata.on(sheet, "ROWS")
        entries = [
            _dimension_properties(sheet.row_meta, 21, on_rows, r) for r in range(area.start_row, area.end_row)
        ]
        data["rowMetadata"] = fields.keep(entries, parts.below("rowMetadata"))
    if parts.wants("columnMetadata"):
        on_columns = metadata.on(sheet, "COLUMNS")
        entries = [
            _dimension_properties(sheet.column_meta, 100, on_columns, c)
            for c in range(area.start_col, area.end_col)
        ]
        data["columnMetadata"] = fields.keep(entries, parts.below("columnMetadata"))
    return data


def _row_data(spreadsheet: Spreadsheet, area: grid.Area, mask: fields.Tree | None) -> list[dict[str, Any]]:
    sheet = area.sheet
    if mask is not None and "values" not in mask:
        return [{} for _ in range(area.start_row, area.end_row)]
    cell_mask = None if mask is None else mask["values"]
    keys = CELL_KEYS if cell_mask is None else frozenset(cell_mask)
    # Only a mask reaching inside a cell field (userEnteredFormat.textFormat) needs a second pass.
    inner = cell_mask is not None and any(below is not None for below in cell_mask.values())
    evaluator = grid.Evaluator(spreadsheet)
    default_format = spreadsheet.properties.get("defaultFormat", {})
    by_row: dict[int, dict[int, dict[str, Any]]] = {}
    for r, c, cell in _stored(area):
        data = cell_data(spreadsheet, sheet, cell, r, c, evaluator, default_format, keys)
        if inner:
            data = fields.keep(data, cell_mask)
        if data:
            by_row.setdefault(r, {})[c] = data
    # A row ends at its last cell with something to show, as the API trims it.
    rows: list[dict[str, Any]] = []
    for r in range(area.start_row, area.end_row):
        shown = by_row.get(r)
        if shown:
            rows.append({"values": [shown.get(c, {}) for c in range(area.start_col, max(shown) + 1)]})
        else:
            rows.append({})
    return rows


def _stored(area: grid.Area) -> Iterator[tuple[int, int, Cell]]:
    """The stored cells of ``area``: looked up by position when the area is the smaller (one
    row of a big tab), else found by walking the sheet's cells (a whole, mostly empty tab)."""
    cells = area.sheet.cells
    if (area.end_row - area.start_row) * (area.end_col - area.start_col) <= len(cells):
        for r in range(area.start_row, area.end_row):
            for c in range(area.start_col, area.end_col):
                cell = cells.get((r, c))
                if cell is not None:
                    yield r, c, cell
        return
    for (r, c), cell in cells.items():
        if area.start_row <= r < area.end_row and area.start_col <= c < area.end_col:
            yield r, c, cell


def _trim_grid(data: dict[str, Any]) -> None:
    rows = data.get("rowData")
    if not isinstance(rows, list):
        return
    for row in rows:
        cells = row.get("values")
        if isinstance(cells, list):
            while cells and cells[-1] == {}:
                cells.pop()
            if not cells:
                row.pop("values")
    while rows and rows[-1] == {}:
        rows.pop()
    if not rows:
        data.pop("rowData")


def sheet_resource(spreadsheet: Spreadsheet, sheet: Sheet, account: str) -> dict[str, Any]:
    """A Sheet object without grid data."""
    out: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
    if sheet.merges:
        out["merges"] = [public_range(m) for m in sheet.merges]
    if sheet.protected_ranges:
        out["protectedRanges"] = [_protected(p, account) for p in sheet.protected_ranges]
    if sheet.basic_filter:
        out["basicFilter"] = sheet.basic_filter
    if sheet.row_groups:
        out["rowGroups"] = copy.deepcopy(sheet.row_groups)
    if sheet.column_groups:
        out["columnGroups"] = copy.deepcopy(sheet.column_groups)
    metadata = [m for m in spreadsheet.developer_metadata if m["location"].get("sheetId") == sheet.sheet_id]
    if metadata:
        out["developerMetadata"] = copy.deepcopy(metadata)
    return out


def _protected(protected: dict[str, Any], account: str) -> dict[str, Any]:
    out = copy.deepcopy(protected)
    out["range"] = public_range(out["range"])
    # Reading back, Google adds the owner (the account that made the protection) to the editors.
    editors = out.get("editors") or {}
    users = [account, *(u for u in editors.get("users", []) if u != account)]
    out["editors"] = {**editors, "users": users}
    return out


def build(
    spreadsheet: Spreadsheet,
    *,
    include_grid: bool,
    account: str,
    areas: list[grid.Area] | None = None,
    parts: GridParts = GridParts(),
) -> dict[str, Any]:
    """The full Spreadsheet resource; grid data for ``areas`` or, when None, every whole sheet.

    With ``areas`` given (ranges, or what data filters matched) and grid data asked for, only
    the sheets holding one of them are listed.
    """
    body: dict[str, Any] = {
        "spreadsheetId": spreadsheet.id,
        "properties": copy.deepcopy(spreadsheet.properties),
    }
    sheets = [sheet_resource(spreadsheet, sheet, account) for sheet in spreadsheet.sheets]
    if include_grid:
        wanted: dict[int, list[grid.Area]] = {}
        if areas is not None:
            for area in areas:
                wanted.setdefault(area.sheet.sheet_id, []).append(area)
        else:
            for sheet in spreadsheet.sheets:
                wanted[sheet.sheet_id] = [grid.clamp(spreadsheet, sheet, grid.from_grid_range({}))]
        metadata = _DimensionMetadata(spreadsheet)
        for sheet, resource in zip(spreadsheet.sheets, sheets, strict=True):
            if sheet.sheet_id in wanted:
                resource["data"] = [
                    grid_data(spreadsheet, area, parts, metadata) for area in wanted[sheet.sheet_id]
                ]
        if areas is not None:
            sheets = [
                s for sheet, s in zip(spreadsheet.sheets, sheets, strict=True) if sheet.sheet_id in wanted
            ]
    if sheets:  # none when data filters matched nothing: proto3 JSON leaves the list out
        body["sheets"] = sheets
    if spreadsheet.named_ranges:
        body["namedRanges"] = [
            {**{k: v for k, v in n.items() if k != "range"}, "range": public_range(n["range"])}
            for n in spreadsheet.named_ranges
        ]
    top_metadata = [m for m in spreadsheet.developer_metadata if m["location"].get("spreadsheet")]
    if top_metadata:
        body["developerMetadata"] = copy.deepcopy(top_metadata)
    body["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{spreadsheet.id}/edit"
    return body


def check_mask(paths: list[fields.Path]) -> None:
    """Reject masks naming fields the Spreadsheet resource does not have (400 like Google)."""
    for path in paths:
        if path == ("*",):
            continue
        if path[0] not in _SPREADSHEET_KEYS:
            raise errors.bad_field_mask(".".join(path))
        if path[0] == "sheets" and len(path) > 1 and path[1] not in _SHEET_KEYS:
            raise errors.bad_field_mask(".".join(path))


def get(
    spreadsheet: Spreadsheet,
    *,
    include_grid: bool,
    areas: list[grid.Area] | None,
    mask: str | None,
    account: str,
) -> dict[str, Any]:
    """``spreadsheets.get`` and ``getByDataFilter``; a field mask mentioning grid data implies
    ``includeGridData`` (Google: "If a field mask is set, the includeGridData parameter is ignored")."""
    paths = fields.parse(mask) if mask else []
    check_mask(paths)
    if paths:
        include_grid = any(p[:2] == ("sheets", "data") or p == ("sheets",) or p == ("*",) for p in paths)
    parts, rest = _split_mask(fields.compile_mask(paths) if paths else None)
    with _collector_paused():
        body = build(spreadsheet, include_grid=include_grid, account=account, areas=areas, parts=parts)
        if paths:
            body = fields.keep(body, rest)
        for sheet in body.get("sheets", []):
            for data in sheet.get("data", []):
                _trim_grid(data)
    return body


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while an answer is built.

    A 10,000-row grid answer is a few hundred thousand fresh dicts and lists and no cycles, so
    every collection the allocations trigger (each walking the whole store) is wasted: they
    were a third of the time of the sync worker's one-call tab read.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
