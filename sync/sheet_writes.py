"""Building the two write requests of a cycle: values (RAW) and spreadsheet structure/notes.

Every write names its target by the row the record's ID was found in this cycle, so sorted or
moved rows get the right values; repeating a write is harmless (idempotent).
"""

from __future__ import annotations

from typing import Any

from sync import a1
from sync.table import formatted
from sync.work import TabWork


def values_data(works: list[TabWork]) -> list[dict[str, Any]]:
    """The ``data`` of one values:batchUpdate: changed cells and appended rows."""
    data: list[dict[str, Any]] = []
    for work in works:
        tab, columns = work.tab, work.table.columns
        for update in work.plan.updates:
            for name, value in update.to_sheet.items():
                cell = a1.cell(tab.name, update.row_number, columns[name])
                data.append({"range": cell, "values": [[formatted(tab, name, value)]]})
        width = max([work.table.width, *(i + 1 for i in columns.values())])
        for number, append in zip(work.append_row_numbers(), work.plan.appends, strict=True):
            line: list[Any] = [""] * width
            assert work.table.id_column is not None  # a tab without its ID header is skipped
            line[work.table.id_column] = str(append.record_id)
            for name, index in columns.items():
                line[index] = formatted(tab, name, append.values.get(name))
            data.append({"range": a1.row_range(tab.name, number, width), "values": [line]})
    return data


def cell_data(value: Any) -> dict[str, Any]:
    """A CellData for updateCells that stores ``value`` as RAW would."""
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def set_value(sheet_id: int, row: int, column: int, value: Any) -> dict[str, Any]:
    """updateCells for one cell (1-based row, 0-based column)."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": column},
            "rows": [{"values": [cell_data(value)]}],
            "fields": "userEnteredValue",
        }
    }


def set_note(sheet_id: int, row: int, column: int, note: str) -> dict[str, Any]:
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": column},
            "rows": [{"values": [{"note": note} if note else {}]}],
            "fields": "note",
        }
    }


def set_grid(sheet_id: int, rows: list[list[Any]]) -> dict[str, Any]:
    """Rewrite a worker-owned tab's values from A1 (blank cells clear what was there)."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [cell_data(v) for v in row]} for row in rows],
            "fields": "userEnteredValue",
        }
    }


def delete_row(sheet_id: int, row: int) -> dict[str, Any]:
    return {
        "deleteDimension": {
            "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row - 1, "endIndex": row}
        }
    }


def grow(sheet_id: int, rows: int) -> dict[str, Any]:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": rows}}
