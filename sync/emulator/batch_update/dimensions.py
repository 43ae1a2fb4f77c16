"""Row and column requests: insert, append, delete, resize by hand, and group."""

from __future__ import annotations

import copy
from typing import Any

from .. import fields, structure
from ..store import Spreadsheet
from . import targets
from .request_error import RequestError


def insert_dimension(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    rng = payload.get("range") or {}
    sheet = targets.sheet(spreadsheet, rng.get("sheetId"))
    dimension = rng.get("dimension", "ROWS")
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if start > size or end <= start:
        raise RequestError(
            f"range.startIndex ({start}) must be less than or equal to the sheet size ({size})."
        )
    structure.insert_dimension(spreadsheet, sheet, dimension, start, end)
    # Google gives new rows (columns) the format and validation of their neighbour: the one
    # before with inheritFromBefore, else the one after. Values and notes are not inherited.
    source = start - 1 if payload.get("inheritFromBefore") else end
    if 0 <= source < (sheet.row_count if dimension == "ROWS" else sheet.column_count):
        structure.inherit(sheet, dimension, source, start, end)


def append_dimension(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = targets.sheet(spreadsheet, payload.get("sheetId"))
    key = "rowCount" if payload.get("dimension", "ROWS") == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += int(payload.get("length", 0))


def delete_dimension(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = targets.dimension_range(spreadsheet, payload.get("range") or {})
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    end = min(end, size)
    if dimension == "ROWS" and start == 0 and end >= size:
        raise RequestError("You can't delete all the rows on the sheet.")
    if dimension == "COLUMNS" and start == 0 and end >= size:
        raise RequestError("You can't delete all the columns on the sheet.")
    structure.delete_dimension(spreadsheet, sheet, dimension, start, end)


def move_dimension(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = targets.dimension_range(spreadsheet, payload.get("source") or {})
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    end = min(end, size)
    destination = int(payload.get("destinationIndex", 0))
    if not 0 <= destination <= size:
        raise RequestError(f"destinationIndex ({destination}) must be between 0 and the sheet size ({size}).")
    structure.move_dimension(spreadsheet, sheet, dimension, start, end, destination)


def update_dimension_properties(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, dimension, start, end = targets.dimension_range(spreadsheet, payload.get("range") or {})
    meta = sheet.row_meta if dimension == "ROWS" else sheet.column_meta
    default = 21 if dimension == "ROWS" else 100
    paths = fields.parse(payload.get("fields") or "*")
    for index in range(start, end):
        entry = meta.setdefault(index, {"pixelSize": default})
        # developerMetadata is read back from the metadata itself, never stored as a property.
        fields.assign(entry, payload.get("properties") or {}, paths, skip=frozenset({"developerMetadata"}))


def add_dimension_group(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    sheet, dimension, start, end = targets.dimension_range(spreadsheet, payload.get("range") or {})
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    depth = 1 + sum(1 for g in groups if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"])
    groups.append({"range": {"dimension": dimension, "startIndex": start, "endIndex": end}, "depth": depth})
    groups.sort(key=lambda g: (g["range"]["startIndex"], g["depth"]))
    control = "rowGroupControlAfter" if dimension == "ROWS" else "columnGroupControlAfter"
    sheet.properties["gridProperties"][control] = True
    return {"dimensionGroups": copy.deepcopy(groups)}


def delete_dimension_group(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    sheet, dimension, start, end = targets.dimension_range(spreadsheet, payload.get("range") or {})
    groups = sheet.row_groups if dimension == "ROWS" else sheet.column_groups
    groups[:] = [
        g for g in groups if not (g["range"]["startIndex"] == start and g["range"]["endIndex"] == end)
    ]
    return {"dimensionGroups": copy.deepcopy(groups)} if groups else {}
