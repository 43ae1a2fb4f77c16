"""gspread's public methods a sync worker uses, through unmodified gspread against the emulator."""

from __future__ import annotations

import gspread
from gspread.utils import DateTimeOption, ValueInputOption, ValueRenderOption

from sync.emulator import EmulatorServer


def _seed(server: EmulatorServer) -> str:
    return server.emulator.create_spreadsheet(
        "하남 교육", {"학교": [["ID", "학교코드", "학교명", "학생수"], ["1", "S001", "미사초", "1,234"]]}
    )


def test_open_by_key_lists_worksheets(server: EmulatorServer, client: gspread.Client) -> None:
    spreadsheet = client.open_by_key(_seed(server))
    assert [ws.title for ws in spreadsheet.worksheets()] == ["학교"]
    assert spreadsheet.worksheet("학교").get_all_values()[1] == ["1", "S001", "미사초", "1,234"]


def test_add_and_delete_worksheet(server: EmulatorServer, client: gspread.Client) -> None:
    spreadsheet = client.open_by_key(_seed(server))
    added = spreadsheet.add_worksheet("예산", rows=10, cols=5)
    assert [ws.title for ws in spreadsheet.worksheets()] == ["학교", "예산"]
    spreadsheet.del_worksheet(added)
    assert [ws.title for ws in spreadsheet.worksheets()] == ["학교"]


def test_update_raw_keeps_formula_text_and_user_entered_parses(
    server: EmulatorServer, client: gspread.Client
) -> None:
    ws = client.open_by_key(_seed(server)).worksheet("학교")
    ws.update([["=1+1", "1,234,000"]], "A3:B3", value_input_option=ValueInputOption.raw)
    ws.update(
        [["=B4*2", "1,234,000", "50%", "2025. 3. 1.", "2025-03-01"]],
        "A4",
        value_input_option=ValueInputOption.user_entered,
    )
    assert ws.get("A3:B3") == [["=1+1", "1,234,000"]]
    assert ws.get("A4:E4", value_render_option=ValueRenderOption.unformatted) == [
        [2468000, 1234000, 0.5, 45717, 45717]
    ]
    assert ws.get("A4:E4") == [["2468000", "1,234,000", "50%", "2025. 3. 1", "2025-03-01"]]
    assert ws.get("A4", value_render_option=ValueRenderOption.formula) == [["=B4*2"]]
    formatted = ws.get(
        "D4",
        value_render_option=ValueRenderOption.unformatted,
        date_time_render_option=DateTimeOption.formatted_string,
    )
    assert formatted == [["2025. 3. 1"]]


def test_formulas_recompute_when_inputs_change(server: EmulatorServer, client: gspread.Client) -> None:
    ws = client.open_by_key(_seed(server)).worksheet("학교")
    ws.update([[1], [2], ["=SUM(A5:A6)"]], "A5", value_input_option=ValueInputOption.user_entered)
    assert ws.acell("A7").value == "3"
    ws.update_acell("A5", 10)
    assert ws.acell("A7").value == "12"


def test_batch_get_and_batch_update(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    ws = client.open_by_key(key).worksheet("학교")
    server.emulator.clear_log()
    ws.batch_update([{"range": "A3:B3", "values": [["2", "S002"]]}, {"range": "C3", "values": [["위례중"]]}])
    got = ws.batch_get(["A1:B1", "A3:C3", "E:E"])
    assert got[0] == [["ID", "학교코드"]] and got[1] == [["2", "S002", "위례중"]] and got[2] == []
    counts = server.emulator.request_counts()
    assert counts["sheets.spreadsheets.values.batchUpdate"] == 1
    assert counts["sheets.spreadsheets.values.batchGet"] == 1


def test_append_insert_delete_rows_and_batch_clear(server: EmulatorServer, client: gspread.Client) -> None:
    ws = client.open_by_key(_seed(server)).worksheet("학교")
    ws.append_rows([["2", "S002", "위례중", "500"], ["3", "S003", "감일고", "700"]])
    assert ws.col_values(1) == ["ID", "1", "2", "3"]
    ws.insert_rows([["0", "S000", "신장초", "10"]], row=2)
    assert ws.col_values(3) == ["학교명", "신장초", "미사초", "위례중", "감일고"]
    ws.delete_rows(2)
    assert ws.col_values(1) == ["ID", "1", "2", "3"]
    ws.batch_clear(["A3:D3", "A4:D4"])
    assert ws.get_all_values() == [["ID", "학교코드", "학교명", "학생수"], ["1", "S001", "미사초", "1,234"]]


def test_notes(server: EmulatorServer, client: gspread.Client) -> None:
    ws = client.open_by_key(_seed(server)).worksheet("학교")
    ws.insert_note("B2", "충돌: 시트와 DB 값이 다릅니다")
    ws.update_notes({"C2": "확인 필요"})
    assert ws.get_note("B2") == "충돌: 시트와 DB 값이 다릅니다"
    assert ws.get_notes() == [[], ["", "충돌: 시트와 DB 값이 다릅니다", "확인 필요"]]


def test_spreadsheet_batch_update_and_metadata(server: EmulatorServer, client: gspread.Client) -> None:
    spreadsheet = client.open_by_key(_seed(server))
    sheet_id = spreadsheet.worksheet("학교").id
    reply = spreadsheet.batch_update(
        {
            "requests": [
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "eduhub",
                            "metadataValue": "v1",
                            "location": {"sheetId": sheet_id},
                            "visibility": "DOCUMENT",
                        }
                    }
                },
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {"sheetId": sheet_id, "endRowIndex": 1},
                            "warningOnly": True,
                        }
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
    assert reply["replies"][0]["createDeveloperMetadata"]["developerMetadata"]["metadataKey"] == "eduhub"
    found = client.http_client.request(
        "post",
        f"https://sheets.googleapis.com/v4/spreadsheets/{spreadsheet.id}/developerMetadata:search",
        json={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "eduhub"}}]},
    ).json()
    assert found["matchedDeveloperMetadata"][0]["developerMetadata"]["metadataValue"] == "v1"
    assert spreadsheet.worksheet("학교").frozen_row_count == 1


def test_drive_listing_last_update_time_and_export(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    spreadsheet = client.open_by_key(key)
    before = spreadsheet.get_lastUpdateTime()
    spreadsheet.worksheet("학교").update_acell("D2", "99")
    assert spreadsheet.get_lastUpdateTime() > before
    assert [f["id"] for f in client.list_spreadsheet_files()] == [key]
    assert [s.title for s in client.openall("하남 교육")] == ["하남 교육"]
    csv = client.export(key, gspread.utils.ExportFormat.CSV).decode()
    assert csv.splitlines() == ["ID,학교코드,학교명,학생수", "1,S001,미사초,99"]
