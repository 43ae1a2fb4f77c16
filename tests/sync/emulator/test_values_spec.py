"""``spreadsheets.values`` line by line: A1 ranges, clamping, trimming, render options, input
parsing and append, through unmodified gspread and raw HTTP."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import gspread
import pytest
import requests
from gspread.utils import DateTimeOption, ValueInputOption, ValueRenderOption

from sync.emulator import EmulatorServer

AUTH = {"Authorization": "Bearer spec"}


def _get(server: EmulatorServer, key: str, range_text: str, **params: str) -> requests.Response:
    url = f"{server.url}/v4/spreadsheets/{key}/values/{quote(range_text, safe='')}"
    return requests.get(url, params=params, headers=AUTH, timeout=5)


def _values(server: EmulatorServer, key: str, range_text: str, **params: str) -> dict[str, Any]:
    answer = _get(server, key, range_text, **params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _grid(server: EmulatorServer) -> str:
    """Sheet1 with A1:C3 filled, plus a tab whose title needs quoting (Korean, apostrophe)."""
    rows = [["a1", "b1", "c1"], ["a2", "b2", "c2"], ["a3", "b3", "c3"]]
    return server.emulator.create_spreadsheet("범위", {"Sheet1": rows, "교사's 명단": [["이름", "과목"]]})


# ----- A1 ranges -----


def test_quoted_korean_title_with_apostrophe(server: EmulatorServer, client: gspread.Client) -> None:
    key = _grid(server)
    body = _values(server, key, "'교사''s 명단'!A1:B2")
    assert body == {"range": "'교사''s 명단'!A1:B2", "majorDimension": "ROWS", "values": [["이름", "과목"]]}
    worksheet = client.open_by_key(key).worksheet("교사's 명단")
    assert worksheet.get_all_values() == [["이름", "과목"]]
    worksheet.update([["김", "수학"]], "A2")
    assert worksheet.get("A2:B2") == [["김", "수학"]]


def test_unbounded_columns_and_rows(server: EmulatorServer) -> None:
    key = _grid(server)
    columns = _values(server, key, "Sheet1!B:C")
    assert columns["range"] == "Sheet1!B1:C1000"
    assert columns["values"] == [["b1", "c1"], ["b2", "c2"], ["b3", "c3"]]
    row = _values(server, key, "Sheet1!2:2")
    assert row == {"range": "Sheet1!A2:Z2", "majorDimension": "ROWS", "values": [["a2", "b2", "c2"]]}
    assert _values(server, key, "Sheet1!A:D", majorDimension="COLUMNS")["values"][0] == ["a1", "a2", "a3"]


def test_reversed_corners_mean_the_same_rectangle(server: EmulatorServer) -> None:
    key = _grid(server)
    assert _values(server, key, "Sheet1!C3:A1") == _values(server, key, "Sheet1!A1:C3")
    assert _values(server, key, "Sheet1!C1:A2")["range"] == "Sheet1!A1:C2"


def test_range_without_sheet_name_is_the_first_sheet(server: EmulatorServer) -> None:
    key = _grid(server)
    assert _values(server, key, "B2") == {"range": "Sheet1!B2", "majorDimension": "ROWS", "values": [["b2"]]}
    assert _values(server, key, "Sheet1")["range"] == "Sheet1!A1:Z1000"


def test_named_range(server: EmulatorServer, client: gspread.Client) -> None:
    key = _grid(server)
    spreadsheet = client.open_by_key(key)
    spreadsheet.sheet1.define_named_range("B2:C3", "학생범위")
    assert _values(server, key, "학생범위") == {
        "range": "Sheet1!B2:C3",
        "majorDimension": "ROWS",
        "values": [["b2", "c2"], ["b3", "c3"]],
    }
    # Named ranges follow their cells when rows are inserted above them.
    spreadsheet.sheet1.insert_row(["new"], 1)
    assert _values(server, key, "학생범위")["range"] == "Sheet1!B3:C4"


def test_unknown_sheet_is_googles_400(server: EmulatorServer) -> None:
    key = _grid(server)
    answer = _get(server, key, "NOPE!A5:F15")
    assert answer.status_code == 400
    assert answer.json() == {
        "error": {"code": 400, "message": "Unable to parse range: NOPE!A5:F15", "status": "INVALID_ARGUMENT"}
    }


# ----- clamping, trimming, empty ranges -----


def test_ranges_are_clamped_to_the_grid(server: EmulatorServer) -> None:
    key = _grid(server)
    assert _values(server, key, "Sheet1!B2:AZ5000")["range"] == "Sheet1!B2:Z1000"
    beyond = _get(server, key, "Sheet1!A1001:B1002")
    assert beyond.status_code == 400
    assert "exceeds grid limits" in beyond.json()["error"]["message"]


def test_trailing_empty_cells_and_rows_are_trimmed(server: EmulatorServer) -> None:
    key = server.emulator.create_spreadsheet(
        "trim", {"Sheet1": [["a", "", "c", ""], ["", "", "", ""], ["", "b"], ["", ""]]}
    )
    body = _values(server, key, "Sheet1!A1:D4")
    assert body["range"] == "Sheet1!A1:D4"
    assert body["values"] == [["a", "", "c"], [], ["", "b"]]


def test_values_key_is_omitted_for_an_empty_range(server: EmulatorServer, client: gspread.Client) -> None:
    key = _grid(server)
    assert _values(server, key, "Sheet1!E5:F6") == {"range": "Sheet1!E5:F6", "majorDimension": "ROWS"}
    batch = requests.get(
        f"{server.url}/v4/spreadsheets/{key}/values:batchGet",
        params=[("ranges", "Sheet1!E5:F6"), ("ranges", "Sheet1!A1")],
        headers=AUTH,
        timeout=5,
    ).json()
    assert batch["valueRanges"][0] == {"range": "Sheet1!E5:F6", "majorDimension": "ROWS"}
    assert client.open_by_key(key).sheet1.get("E5:F6") == [[]]


# ----- render options -----


def _typed(server: EmulatorServer) -> str:
    key = server.emulator.create_spreadsheet("render", {"Sheet1": []})
    requests.put(
        f"{server.url}/v4/spreadsheets/{key}/values/Sheet1!A1",
        params={"valueInputOption": "USER_ENTERED"},
        json={"values": [["1,234,000", "12%", "2025-03-01", "=A1*2", "TRUE", "글자"]]},
        headers=AUTH,
        timeout=5,
    ).raise_for_status()
    return key


def test_value_render_options(server: EmulatorServer) -> None:
    key = _typed(server)
    formatted = _values(server, key, "Sheet1!A1:F1")["values"]
    assert formatted == [["1,234,000", "12%", "2025-03-01", "2468000", "TRUE", "글자"]]
    unformatted = _values(server, key, "Sheet1!A1:F1", valueRenderOption="UNFORMATTED_VALUE")["values"]
    assert unformatted == [[1234000, 0.12, 45717, 2468000, True, "글자"]]
    formula = _values(server, key, "Sheet1!A1:F1", valueRenderOption="FORMULA")["values"]
    assert formula == [[1234000, 0.12, 45717, "=A1*2", True, "글자"]]


def test_date_time_render_options(server: EmulatorServer, client: gspread.Client) -> None:
    key = _typed(server)
    worksheet = client.open_by_key(key).sheet1
    serial = worksheet.get(
        "C1",
        value_render_option=ValueRenderOption.unformatted,
        date_time_render_option=DateTimeOption.serial_number,
    )
    assert serial == [[45717]]
    text = worksheet.get(
        "C1",
        value_render_option=ValueRenderOption.unformatted,
        date_time_render_option=DateTimeOption.formatted_string,
    )
    assert text == [["2025-03-01"]]
    # FORMATTED_STRING only changes date cells; plain numbers stay numbers.
    assert worksheet.get(
        "A1",
        value_render_option=ValueRenderOption.unformatted,
        date_time_render_option=DateTimeOption.formatted_string,
    ) == [[1234000]]


# ----- USER_ENTERED versus RAW -----


@pytest.mark.parametrize(
    ("typed", "unformatted", "formatted"),
    [
        ("1,234,000", 1234000, "1,234,000"),
        ("12%", 0.12, "12%"),
        ("2025. 3. 1.", 45717, "2025. 3. 1"),
        ("2025-03-01", 45717, "2025-03-01"),
        ("'0012", "0012", "0012"),
        ("'=A1", "=A1", "=A1"),
        ("3.50", 3.5, "3.5"),
        ("-7", -7, "-7"),
        ("학교", "학교", "학교"),
    ],
)
def test_user_entered_parses_like_the_ui(
    server: EmulatorServer, client: gspread.Client, typed: str, unformatted: Any, formatted: str
) -> None:
    worksheet = client.open_by_key(server.emulator.create_spreadsheet("typed")).sheet1
    worksheet.update([[typed]], "A1", value_input_option=ValueInputOption.user_entered)
    assert worksheet.get("A1", value_render_option=ValueRenderOption.unformatted) == [[unformatted]]
    assert worksheet.get("A1") == [[formatted]]


def test_raw_keeps_text_exactly(server: EmulatorServer, client: gspread.Client) -> None:
    worksheet = client.open_by_key(server.emulator.create_spreadsheet("raw")).sheet1
    worksheet.update([["=A2+1", "1,234", "12%", "'x"]], "A1", value_input_option=ValueInputOption.raw)
    got = worksheet.get("A1:D1", value_render_option=ValueRenderOption.unformatted)
    assert got == [["=A2+1", "1,234", "12%", "'x"]]
    assert worksheet.get("A1", value_render_option=ValueRenderOption.formula) == [["=A2+1"]]


def test_formulas_recompute_from_their_inputs(server: EmulatorServer, client: gspread.Client) -> None:
    worksheet = client.open_by_key(server.emulator.create_spreadsheet("formulas")).sheet1
    worksheet.update(
        [[1, 2, "=A1+B1"], [3, "", ""], [5, "", "=SUM(A1:A3)"]],
        "A1",
        value_input_option=ValueInputOption.user_entered,
    )
    assert worksheet.get("C1:C3", value_render_option=ValueRenderOption.unformatted) == [[3], [], [9]]
    worksheet.update([[10, 20]], "A1", value_input_option=ValueInputOption.user_entered)
    assert worksheet.get("C1:C3", value_render_option=ValueRenderOption.unformatted) == [[30], [], [18]]
    assert worksheet.get("C3", value_render_option=ValueRenderOption.formula) == [["=SUM(A1:A3)"]]
    worksheet.update([["=1/0"]], "D1", value_input_option=ValueInputOption.user_entered)
    assert worksheet.get("D1") == [["#DIV/0!"]]


def test_value_input_option_is_required(server: EmulatorServer) -> None:
    key = _grid(server)
    answer = requests.put(
        f"{server.url}/v4/spreadsheets/{key}/values/Sheet1!A1",
        json={"values": [["x"]]},
        headers=AUTH,
        timeout=5,
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"


# ----- append -----


def _append(server: EmulatorServer, key: str, range_text: str, rows: list[list[Any]]) -> dict[str, Any]:
    answer = requests.post(
        f"{server.url}/v4/spreadsheets/{key}/values/{quote(range_text, safe='')}:append",
        params={"valueInputOption": "RAW"},
        json={"values": rows},
        headers=AUTH,
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_append_finds_the_table_and_writes_below_it(server: EmulatorServer) -> None:
    key = server.emulator.create_spreadsheet(
        "append", {"Sheet1": [["ID", "이름"], ["1", "가"], ["2", "나"], [], [], ["메모"]]}
    )
    first = _append(server, key, "Sheet1!A1", [["3", "다"]])
    assert first["tableRange"] == "Sheet1!A1:B3"
    assert first["updates"]["updatedRange"] == "Sheet1!A4:B4"
    assert _values(server, key, "Sheet1!A4:B4")["values"] == [["3", "다"]]


def test_append_to_an_empty_sheet_starts_at_the_range(server: EmulatorServer) -> None:
    key = server.emulator.create_spreadsheet("empty")
    body = _append(server, key, "Sheet1!B3", [["x", "y"]])
    assert "tableRange" not in body
    assert body["updates"]["updatedRange"] == "Sheet1!B3:C3"


def test_append_grows_the_grid(server: EmulatorServer, client: gspread.Client) -> None:
    key = server.emulator.create_spreadsheet("grow")
    worksheet = client.open_by_key(key).sheet1
    worksheet.resize(rows=2, cols=2)
    worksheet.append_rows([["a", "b"], ["c", "d"], ["e", "f", "g"]])
    spreadsheet = client.open_by_key(key)
    assert (spreadsheet.sheet1.row_count, spreadsheet.sheet1.col_count) == (3, 3)
    assert spreadsheet.sheet1.get_all_values() == [["a", "b", ""], ["c", "d", ""], ["e", "f", "g"]]
