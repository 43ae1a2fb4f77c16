"""The two sheet writes of a cycle, built after its database transaction.

1. ``values:batchUpdateByDataFilter`` (RAW): every cell write is addressed by the row's anchor,
   so a row staff sorted, moved or inserted above still gets its own values, and a row they
   deleted gets none. Cells not written are ``None`` in the row (the API skips them).
   Repeating it is harmless, so it is retried.
2. ``spreadsheets:batchUpdate``: anchors removed (by filter) and placed (on the rows read this
   cycle), notes, the worker-owned tabs, and appended rows (inserted after the last row read,
   anchored and filled in the same atomic request, so they never overwrite a row staff
   typed meanwhile). Not retried after an ambiguous failure: every part of it is checked
   against the next read and done only if still missing.
"""

from __future__ import annotations

from typing import Any

from sync import anchors
from sync.table import formatted
from sync.work import TabWork


def values_data(works: list[TabWork], created: dict[str, int]) -> list[dict[str, Any]]:
    """The ``data`` of one values:batchUpdateByDataFilter."""
    data: list[dict[str, Any]] = []
    for work in works:
        tab, table = work.tab, work.table
        assert table.id_column is not None or not (work.plan.updates or work.plan.creates)
        width = max([table.width, *(i + 1 for i in table.columns.values())])
        for update in work.plan.updates:
            if update.anchor is None or not (update.to_sheet or update.write_id):
                continue  # an unanchored row is written once its anchor is claimed
            line: list[Any] = [None] * width
            for name, value in update.to_sheet.items():
                line[table.columns[name]] = formatted(tab, name, value)
            if update.write_id and table.id_column is not None:
                line[table.id_column] = update.key
            data.append(_row_write(update.anchor, line))
        for create in work.plan.creates:
            record_id = created.get(create.anchor)
            if record_id is not None and table.id_column is not None:
                line = [None] * width
                line[table.id_column] = str(record_id)
                data.append(_row_write(create.anchor, line))
        for clear in work.plan.clears:
            data.append(_row_write(clear.anchor, [""] * max(width, table.column_count)))
    return data


def _row_write(anchor: str, line: list[Any]) -> dict[str, Any]:
    while line and line[-1] is None:
        line.pop()
    return {"dataFilter": anchors.data_filter(anchor), "majorDimension": "ROWS", "values": [line]}


def anchor_requests(work: TabWork) -> list[dict[str, Any]]:
    """Stray and spent anchors removed, new unclaimed anchors placed on the rows that need one."""
    plan, sheet_id = work.plan, work.table.sheet_id
    dropped = list(dict.fromkeys([*plan.drops, *(c.anchor for c in plan.clears)]))
    requests = [anchors.remove(token) for token in dropped if token]
    requests += [anchors.place(sheet_id, number, anchors.new_token()) for number in plan.place]
    return requests


def appended_rows(work: TabWork) -> tuple[int, bool]:
    """How many rows this cycle appends to the tab, and whether they take the last data row's
    look (rules, formats): inserted below a data row they do; below a bare header (never the
    header's look) or added to a full grid (``appendDimension``) they start bare."""
    table = work.table
    if not work.plan.appends or table.id_column is None:
        return 0, False
    return len(work.plan.appends), 1 < table.data_rows < table.row_count


def append_requests(work: TabWork) -> list[dict[str, Any]]:
    """Rows inserted after the last row read, each anchored and filled, in one atomic step."""
    plan, table, tab = work.plan, work.table, work.tab
    if not plan.appends or table.id_column is None:
        return []
    start = table.data_rows  # 0-based index of the first new row: right after the last one read
    width = max([table.width, *(i + 1 for i in table.columns.values())])
    insert: dict[str, Any] = {
        "insertDimension": {
            "range": {
                "sheetId": table.sheet_id,
                "dimension": "ROWS",
                "startIndex": start,
                "endIndex": start + len(plan.appends),
            },
            "inheritFromBefore": start > 1,  # the look of the last data row, never the header's
        }
    }
    if start >= table.row_count:  # a full grid: there is no row to insert before
        insert = {
            "appendDimension": {"sheetId": table.sheet_id, "dimension": "ROWS", "length": len(plan.appends)}
        }
    placed = [anchors.place(table.sheet_id, start + 1 + i, a.anchor) for i, a in enumerate(plan.appends)]
    rows = []
    for append in plan.appends:
        line: list[Any] = [""] * width
        line[table.id_column] = str(append.record_id)
        for name, index in table.columns.items():
            line[index] = formatted(tab, name, append.values.get(name))
        rows.append({"values": [cell_data(v) for v in line]})
    fill = {
        "updateCells": {
            "start": {"sheetId": table.sheet_id, "rowIndex": start, "columnIndex": 0},
            "rows": rows,
            "fields": "userEnteredValue",
        }
    }
    return [insert, *placed, fill]


def cell_data(value: Any) -> dict[str, Any]:
    """A CellData for updateCells that stores ``value`` as RAW would."""
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


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
