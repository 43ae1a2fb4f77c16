"""The requests the worker's guardrails send, through unmodified gspread, read back as Google
shows them: validation rules and number formats per cell, frozen rows, warning-only ranges,
and what rows inserted with ``inheritFromBefore`` take from their neighbour."""

from __future__ import annotations

from typing import Any

import gspread

from sync.emulator import EmulatorServer

RULE = {
    "condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "초등학교"}]},
    "strict": False,
    "showCustomUi": True,
}
FORMAT = {"type": "NUMBER", "pattern": "#,##0"}


def _cells(spreadsheet: gspread.Spreadsheet, a1: str) -> list[dict[str, Any]]:
    body = spreadsheet.fetch_sheet_metadata(
        params={"ranges": a1, "fields": "sheets(data(rowData(values(dataValidation,userEnteredFormat))))"}
    )
    rows = body["sheets"][0]["data"][0].get("rowData", [])
    return [(row.get("values") or [{}])[0] for row in rows]


def _guard(spreadsheet: gspread.Spreadsheet, sheet_id: int) -> None:
    column = {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": 1, "endColumnIndex": 2}
    spreadsheet.batch_update(
        {
            "requests": [
                {"setDataValidation": {"range": column, "rule": RULE}},
                {
                    "repeatCell": {
                        "range": column,
                        "cell": {"userEnteredFormat": {"numberFormat": FORMAT}},
                        "fields": "userEnteredFormat.numberFormat",
                    }
                },
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                        "fields": "gridProperties.frozenRowCount",
                    }
                },
            ]
        }
    )


def test_guardrails_read_back_per_cell_and_in_properties(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = server.emulator.create_spreadsheet("가드", {"학교": [["ID", "학교급"], ["1", "초등학교"]]})
    spreadsheet = client.open_by_key(key)
    tab = spreadsheet.worksheet("학교")
    _guard(spreadsheet, tab.id)
    cells = _cells(spreadsheet, "'학교'!B1:B3")
    assert cells[0] == {}  # the header row is not covered
    assert cells[1] == {"dataValidation": RULE, "userEnteredFormat": {"numberFormat": FORMAT}}
    assert cells[2] == cells[1]  # an empty cell shows the rule too
    assert spreadsheet.worksheet("학교").frozen_row_count == 1
    tab.add_protected_range("A1:A", warning_only=True)
    [found] = spreadsheet.list_protected_ranges(tab.id)
    assert found["warningOnly"] is True and found["range"]["endColumnIndex"] == 1


def test_inserted_rows_inherit_format_and_validation_not_values(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = server.emulator.create_spreadsheet(
        "가드", {"학교": [["ID", "학교급"], ["1", "초등학교"], ["2", "중학교"]]}
    )
    spreadsheet = client.open_by_key(key)
    tab = spreadsheet.worksheet("학교")
    _guard(spreadsheet, tab.id)
    tab.insert_row(["", ""], index=4, inherit_from_before=True)
    inherited = _cells(spreadsheet, "'학교'!B4")[0]
    assert inherited == {"dataValidation": RULE, "userEnteredFormat": {"numberFormat": FORMAT}}
    assert tab.acell("B4").value is None
    # Inheriting from the row after: the data row it is inserted above.
    tab.insert_row(["x", "y"], index=2, inherit_from_before=False)
    assert _cells(spreadsheet, "'학교'!B2")[0].get("dataValidation") == RULE
