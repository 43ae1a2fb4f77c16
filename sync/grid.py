"""One tab as the worker reads it: cell values, notes and row anchors, from one spreadsheets.get.

Cells are ``userEnteredValue``s: numbers stay numbers, dates are serial numbers, and a formula
is a :class:`Formula`, never confused with text that merely starts with "=" (the worker writes
text RAW, so "=1+1" typed through the API is a string cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync import anchors

# Only what the sync needs: ids and grid size, entered values, notes, and our row metadata.
# Frozen rows, protected ranges, validation rules and number formats are read for the guardrails
# (sync/guardrails/): whether they still stand is decided from this one read, at no extra call.
FIELDS = (
    "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount,frozenRowCount)),"
    "protectedRanges(protectedRangeId,range,description,warningOnly),"
    "data(startRow,rowData(values(userEnteredValue,note,dataValidation,userEnteredFormat(numberFormat))),"
    "rowMetadata(developerMetadata(metadataKey,metadataValue))))"
)


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell (its text, e.g. ``=SUM(E2:E9)``)."""

    text: str


@dataclass
class TabGrid:
    """A tab's values (row 1 first, trailing blanks trimmed), notes and anchors."""

    title: str
    sheet_id: int
    row_count: int
    column_count: int
    cells: list[list[Any]] = field(default_factory=list)
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # (1-based row, 0-based col)
    anchors: dict[int, list[str]] = field(default_factory=dict)  # 1-based row -> tokens
    frozen_rows: int = 0
    protected: list[dict[str, Any]] = field(default_factory=list)  # ProtectedRange objects as read
    validations: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)  # (row, col) -> rule
    number_formats: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)  # (row, col)


def parse(body: dict[str, Any], titles: list[str]) -> list[TabGrid]:
    """The grids of ``titles``, in that order, from a spreadsheets.get answer.

    Raises KeyError for a title the answer lacks (a renamed or deleted tab).
    """
    found = {}
    for sheet in body.get("sheets", []):
        found[sheet["properties"]["title"]] = _tab(sheet)
    return [found[title] for title in titles]


def _tab(sheet: dict[str, Any]) -> TabGrid:
    properties = sheet["properties"]
    size = properties.get("gridProperties", {})
    grid = TabGrid(
        properties["title"],
        int(properties.get("sheetId", 0)),
        int(size.get("rowCount", 0)),
        int(size.get("columnCount", 0)),
        frozen_rows=int(size.get("frozenRowCount", 0)),
        protected=list(sheet.get("protectedRanges", [])),
    )
    for data in sheet.get("data", []):
        start = int(data.get("startRow", 0))
        for offset, row in enumerate(data.get("rowData", [])):
            number = start + offset + 1
            line = [_value(cell) for cell in row.get("values", [])]
            for column, cell in enumerate(row.get("values", [])):
                if cell.get("note"):
                    grid.notes[(number, column)] = cell["note"]
                if cell.get("dataValidation"):
                    grid.validations[(number, column)] = cell["dataValidation"]
                number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat")
                if number_format:
                    grid.number_formats[(number, column)] = number_format
            while line and line[-1] == "":
                line.pop()
            _put(grid.cells, number, line)
        for offset, meta in enumerate(data.get("rowMetadata", [])):
            tokens = [
                m.get("metadataValue", "")
                for m in meta.get("developerMetadata", [])
                if m.get("metadataKey") == anchors.KEY
            ]
            if tokens:
                grid.anchors[start + offset + 1] = tokens
    while grid.cells and not grid.cells[-1]:
        grid.cells.pop()
    return grid


def _put(cells: list[list[Any]], number: int, line: list[Any]) -> None:
    while len(cells) < number - 1:
        cells.append([])
    if len(cells) < number:
        cells.append(line)
    else:
        cells[number - 1] = line


def _value(cell: dict[str, Any]) -> Any:
    entered = cell.get("userEnteredValue") or {}
    if "formulaValue" in entered:
        return Formula(str(entered["formulaValue"]))
    for kind in ("stringValue", "numberValue", "boolValue"):
        if kind in entered:
            return entered[kind]
    if "errorValue" in entered:
        return Formula(str(entered["errorValue"].get("type", "#ERROR!")))
    return ""
