"""A renamed sheet's references follow it, as Google rewrites them: validation conditions
(ONE_OF_RANGE, custom formulas) and cell formulas, the new title quoted only when it must be;
string literals and references to other sheets are left alone. Unmodified gspread."""

from __future__ import annotations

from typing import Any

import gspread
from gspread.utils import ValueRenderOption

from sync.emulator import EmulatorServer
from sync.emulator.sheet_references import rewrite


def _rule(formula: str) -> dict[str, Any]:
    return {"condition": {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": formula}]}, "strict": False}


def _condition(spreadsheet: gspread.Spreadsheet, a1: str) -> dict[str, Any]:
    body = spreadsheet.fetch_sheet_metadata(
        params={"ranges": a1, "fields": "sheets(data(rowData(values(dataValidation))))"}
    )
    return dict(body["sheets"][0]["data"][0]["rowData"][0]["values"][0]["dataValidation"]["condition"])


def test_renaming_a_sheet_rewrites_validation_rules_and_formulas_that_name_it(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = server.emulator.create_spreadsheet(
        "참조", {"학교": [["ID", "학교코드"], ["1", "A1"]], "사업": [["ID", "학교코드"], ["1", "A1"]]}
    )
    spreadsheet = client.open_by_key(key)
    school, program = spreadsheet.worksheet("학교"), spreadsheet.worksheet("사업")
    column = {
        "sheetId": program.id,
        "startRowIndex": 1,
        "endRowIndex": 3,
        "startColumnIndex": 1,
        "endColumnIndex": 2,
    }
    spreadsheet.batch_update(
        {"requests": [{"setDataValidation": {"range": column, "rule": _rule("='학교'!B2:B")}}]}
    )
    program.update([['=COUNTA(학교!B2:B)&"학교!B2"', "='사업'!A1"]], "C2", raw=False)

    school.update_title("학교 명단")
    assert _condition(spreadsheet, "'사업'!B2") == {
        "type": "ONE_OF_RANGE",
        "values": [{"userEnteredValue": "='학교 명단'!B2:B"}],
    }
    formulas = program.get("C2:D2", value_render_option=ValueRenderOption.formula)
    assert formulas == [["=COUNTA('학교 명단'!B2:B)&\"학교!B2\"", "='사업'!A1"]]

    school.update_title("Schools")  # a bare word needs no quotes, as Google writes it
    assert _condition(spreadsheet, "'사업'!B2")["values"] == [{"userEnteredValue": "=Schools!B2:B"}]


def test_rewrite_matches_titles_in_any_case_and_only_whole_names() -> None:
    assert rewrite("=SUM(sheet1!A1, Sheet10!A1, 'Sheet1'!B2)", "Sheet1", "새 탭") == (
        "=SUM('새 탭'!A1, Sheet10!A1, '새 탭'!B2)"
    )
    assert rewrite("='It''s'!A1", "It's", "Plain") == "=Plain!A1"
