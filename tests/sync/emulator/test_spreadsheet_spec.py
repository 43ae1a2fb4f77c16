"""``spreadsheets.get`` and ``spreadsheets.batchUpdate`` line by line, through unmodified gspread
and raw HTTP."""

from __future__ import annotations

from typing import Any

import gspread
import requests

from sync.emulator import EmulatorServer

AUTH = {"Authorization": "Bearer spec"}


def _get(server: EmulatorServer, key: str, **params: Any) -> requests.Response:
    return requests.get(f"{server.url}/v4/spreadsheets/{key}", params=params, headers=AUTH, timeout=5)


def _batch(server: EmulatorServer, key: str, *requests_: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{server.url}/v4/spreadsheets/{key}:batchUpdate",
        json={"requests": list(requests_)},
        headers=AUTH,
        timeout=5,
    )


def _seed(server: EmulatorServer) -> str:
    return server.emulator.create_spreadsheet(
        "구조", {"학교": [["ID", "학교명"], ["1", "미사초"], ["2", "위례중"]], "예산": [["코드"]]}
    )


# ----- spreadsheets.get -----


def test_get_without_grid_data(server: EmulatorServer) -> None:
    key = _seed(server)
    body = _get(server, key, includeGridData="false").json()
    assert body["spreadsheetId"] == key
    assert body["properties"]["title"] == "구조"
    assert [s["properties"]["title"] for s in body["sheets"]] == ["학교", "예산"]
    assert [s["properties"]["index"] for s in body["sheets"]] == [0, 1]
    assert body["sheets"][0]["properties"]["gridProperties"] == {"rowCount": 1000, "columnCount": 26}
    assert "data" not in body["sheets"][0]
    assert body["spreadsheetUrl"] == f"https://docs.google.com/spreadsheets/d/{key}/edit"


def test_get_with_field_masks(server: EmulatorServer) -> None:
    key = _seed(server)
    titles = _get(server, key, fields="sheets.properties(title,index)").json()
    assert titles == {
        "sheets": [
            {"properties": {"title": "학교", "index": 0}},
            {"properties": {"title": "예산", "index": 1}},
        ]
    }
    assert _get(server, key, fields="properties.title,spreadsheetId").json() == {
        "spreadsheetId": key,
        "properties": {"title": "구조"},
    }
    bad = _get(server, key, fields="sheets.sheetProperties")
    assert bad.status_code == 400
    violation = bad.json()["error"]["details"][0]["fieldViolations"][0]
    assert violation["field"] == "sheets.sheetProperties"


def test_get_with_grid_data_for_ranges(server: EmulatorServer) -> None:
    key = _seed(server)
    body = _get(server, key, includeGridData="true", ranges="'학교'!A2:B3").json()
    assert [s["properties"]["title"] for s in body["sheets"]] == ["학교"]
    data = body["sheets"][0]["data"][0]
    assert data["startRow"] == 1
    cells = [[cell.get("formattedValue") for cell in row["values"]] for row in data["rowData"]]
    assert cells == [["1", "미사초"], ["2", "위례중"]]
    assert data["rowData"][0]["values"][1]["userEnteredValue"] == {"stringValue": "미사초"}
    assert data["rowData"][0]["values"][0]["effectiveValue"] == {"numberValue": 1}
    assert len(data["rowMetadata"]) == 2 and len(data["columnMetadata"]) == 2


def test_fields_mask_naming_grid_data_includes_it(server: EmulatorServer) -> None:
    key = _seed(server)
    body = _get(server, key, ranges="'학교'!B1", fields="sheets.data.rowData.values.formattedValue").json()
    assert body == {"sheets": [{"data": [{"rowData": [{"values": [{"formattedValue": "학교명"}]}]}]}]}


# ----- batchUpdate: sheets -----


def test_add_sheet_and_delete_sheet(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    reply = _batch(
        server,
        key,
        {"addSheet": {"properties": {"title": "새 탭", "index": 1, "gridProperties": {"rowCount": 5}}}},
    ).json()
    added = reply["replies"][0]["addSheet"]["properties"]
    assert added["title"] == "새 탭" and added["index"] == 1
    assert added["gridProperties"] == {"rowCount": 5, "columnCount": 26}
    assert [ws.title for ws in client.open_by_key(key).worksheets()] == ["학교", "새 탭", "예산"]
    clash = _batch(server, key, {"addSheet": {"properties": {"title": "새 탭"}}})
    assert clash.status_code == 400
    assert "already exists" in clash.json()["error"]["message"]
    assert _batch(server, key, {"deleteSheet": {"sheetId": added["sheetId"]}}).json()["replies"] == [{}]
    assert [ws.title for ws in client.open_by_key(key).worksheets()] == ["학교", "예산"]


def test_a_failing_request_rolls_back_the_whole_batch(server: EmulatorServer) -> None:
    key = _seed(server)
    answer = _batch(
        server, key, {"addSheet": {"properties": {"title": "임시"}}}, {"deleteSheet": {"sheetId": 999}}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith("Invalid requests[1].deleteSheet:")
    titles = [s["properties"]["title"] for s in _get(server, key).json()["sheets"]]
    assert titles == ["학교", "예산"]


def test_insert_and_delete_dimension(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    sheet_id = client.open_by_key(key).worksheet("학교").id
    rows = {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}
    _batch(server, key, {"insertDimension": {"range": rows, "inheritFromBefore": False}}).raise_for_status()
    worksheet = client.open_by_key(key).worksheet("학교")
    assert worksheet.row_count == 1002
    assert worksheet.col_values(2) == ["학교명", "", "", "미사초", "위례중"]
    columns = {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}
    _batch(server, key, {"deleteDimension": {"range": columns}}).raise_for_status()
    _batch(server, key, {"deleteDimension": {"range": rows}}).raise_for_status()
    worksheet = client.open_by_key(key).worksheet("학교")
    assert worksheet.col_count == 25
    assert worksheet.get_all_values() == [["학교명"], ["미사초"], ["위례중"]]


def test_update_sheet_properties(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    sheet_id = client.open_by_key(key).worksheet("예산").id
    _batch(
        server,
        key,
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": "예산 2025",
                    "index": 0,
                    "gridProperties": {"frozenRowCount": 1},
                },
                "fields": "title,index,gridProperties.frozenRowCount",
            }
        },
    ).raise_for_status()
    spreadsheet = client.open_by_key(key)
    assert [ws.title for ws in spreadsheet.worksheets()] == ["예산 2025", "학교"]
    assert spreadsheet.worksheet("예산 2025").frozen_row_count == 1
    hide_all = [
        {"updateSheetProperties": {"properties": {"sheetId": ws.id, "hidden": True}, "fields": "hidden"}}
        for ws in spreadsheet.worksheets()
    ]
    refused = _batch(server, key, *hide_all)
    assert refused.status_code == 400
    assert refused.json() == {
        "error": {
            "code": 400,
            "message": "Invalid requests[1].updateSheetProperties: "
            "You can't hide all the sheets in a document.",
            "status": "INVALID_ARGUMENT",
        }
    }


# ----- batchUpdate: cells -----


def test_update_cells_with_notes_and_values(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    sheet_id = client.open_by_key(key).worksheet("학교").id
    _batch(
        server,
        key,
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 1},
                "rows": [
                    {
                        "values": [
                            {"note": "확인 필요"},
                            {"userEnteredValue": {"numberValue": 42}, "note": "숫자"},
                        ]
                    }
                ],
                "fields": "note",
            }
        },
    ).raise_for_status()
    worksheet = client.open_by_key(key).worksheet("학교")
    assert worksheet.get_note("B2") == "확인 필요"
    assert worksheet.get_note("C2") == "숫자"
    # The mask named only "note": the value in the request is ignored and B2 keeps its text.
    assert worksheet.get("B2:C2") == [["미사초"]]


def test_repeat_cell_applies_a_number_format(server: EmulatorServer, client: gspread.Client) -> None:
    key = server.emulator.create_spreadsheet("format", {"Sheet1": [["1234.5", "0.25"]]})
    worksheet = client.open_by_key(key).sheet1
    worksheet.format("A1:B1", {"numberFormat": {"type": "NUMBER", "pattern": "#,##0.00"}})
    assert worksheet.get("A1:B1") == [["1,234.50", "0.25"]]
    body = _get(server, key, ranges="Sheet1!A1", fields="sheets.data.rowData.values.userEnteredFormat").json()
    fmt = body["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert fmt == {"numberFormat": {"type": "NUMBER", "pattern": "#,##0.00"}}


def test_add_protected_range(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    sheet_id = client.open_by_key(key).worksheet("학교").id
    reply = _batch(
        server,
        key,
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                    "description": "머리글",
                    "editors": {"users": ["staff@hanam.example"]},
                }
            }
        },
    ).json()
    protected = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    assert protected["description"] == "머리글"
    assert protected["requestingUserCanEdit"] is True
    assert protected["editors"] == {"users": ["staff@hanam.example"]}
    stored = _get(server, key, fields="sheets.protectedRanges").json()["sheets"][0]["protectedRanges"][0]
    account = server.emulator.store.account_email
    assert stored["editors"] == {"users": [account, "staff@hanam.example"]}
    assert stored["protectedRangeId"] == protected["protectedRangeId"]


def test_set_data_validation(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    sheet_id = client.open_by_key(key).worksheet("학교").id
    rule = {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": "초"}, {"userEnteredValue": "중"}],
        },
        "strict": True,
    }
    grid = {
        "sheetId": sheet_id,
        "startRowIndex": 1,
        "endRowIndex": 3,
        "startColumnIndex": 2,
        "endColumnIndex": 3,
    }
    _batch(server, key, {"setDataValidation": {"range": grid, "rule": rule}}).raise_for_status()
    body = _get(server, key, ranges="'학교'!C2:C3", fields="sheets.data.rowData.values.dataValidation").json()
    rows = body["sheets"][0]["data"][0]["rowData"]
    assert [row["values"][0]["dataValidation"] for row in rows] == [rule, rule]


def test_developer_metadata_create_and_search(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    sheet_id = client.open_by_key(key).worksheet("학교").id
    created = _batch(
        server,
        key,
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "eduhub.tab",
                    "metadataValue": "schools",
                    "location": {"sheetId": sheet_id},
                    "visibility": "DOCUMENT",
                }
            }
        },
    ).json()["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert created["location"] == {"sheetId": sheet_id, "locationType": "SHEET"}
    search = f"{server.url}/v4/spreadsheets/{key}/developerMetadata:search"
    found = requests.post(
        search,
        json={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "eduhub.tab"}}]},
        headers=AUTH,
        timeout=5,
    ).json()
    assert [m["developerMetadata"] for m in found["matchedDeveloperMetadata"]] == [created]
    nothing = requests.post(
        search,
        json={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "other"}}]},
        headers=AUTH,
        timeout=5,
    )
    assert nothing.json() == {}


def test_find_replace_counts_and_case(server: EmulatorServer) -> None:
    key = server.emulator.create_spreadsheet(
        "찾기", {"Sheet1": [["Apple apple", "APPLE"], ["pear", "apple pie"]], "Two": [["apple"]]}
    )
    reply = _batch(
        server, key, {"findReplace": {"find": "apple", "replacement": "사과", "sheetId": 0}}
    ).json()
    assert reply["replies"][0]["findReplace"] == {
        "valuesChanged": 3,
        "rowsChanged": 2,
        "sheetsChanged": 1,
        "occurrencesChanged": 4,
    }
    rows = requests.get(f"{server.url}/v4/spreadsheets/{key}/values/Sheet1", headers=AUTH, timeout=5).json()
    assert rows["values"] == [["사과 사과", "사과"], ["pear", "사과 pie"]]
    exact = {
        "find": "apple",
        "replacement": "x",
        "allSheets": True,
        "matchCase": True,
        "matchEntireCell": True,
    }
    assert (
        _batch(server, key, {"findReplace": exact}).json()["replies"][0]["findReplace"]["sheetsChanged"] == 1
    )


def test_trim_whitespace_and_text_to_columns(server: EmulatorServer) -> None:
    key = server.emulator.create_spreadsheet(
        "정리", {"Sheet1": [["  미사  초 "], ["1,위례중,500"], ["그대로"]]}
    )
    column = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 3, "startColumnIndex": 0, "endColumnIndex": 1}
    trimmed = _batch(server, key, {"trimWhitespace": {"range": column}}).json()
    assert trimmed["replies"] == [{"trimWhitespace": {"cellsChangedCount": 1}}]
    _batch(server, key, {"textToColumns": {"source": column, "delimiterType": "COMMA"}}).raise_for_status()
    url = f"{server.url}/v4/spreadsheets/{key}/values/Sheet1"
    rows = requests.get(
        url, params={"valueRenderOption": "UNFORMATTED_VALUE"}, headers=AUTH, timeout=5
    ).json()
    assert rows["values"] == [["미사 초"], [1, "위례중", 500], ["그대로"]]


def test_auto_resize_measures_the_text(server: EmulatorServer, client: gspread.Client) -> None:
    key = server.emulator.create_spreadsheet("너비", {"Sheet1": [["iiiiiiiiii", "WWWWWWWWWW", "A" * 1024]]})
    worksheet = client.open_by_key(key).sheet1
    worksheet.columns_auto_resize(0, 3)
    body = _get(server, key, fields="sheets.data.columnMetadata").json()
    widths = [m["pixelSize"] for m in body["sheets"][0]["data"][0]["columnMetadata"][:4]]
    # Narrow letters make a narrow column, wide ones a wide column; 1024 A's is Google's own figure.
    assert widths[0] < widths[1] and widths[2] == 8691 and widths[3] == 100
