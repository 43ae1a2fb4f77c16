"""The ``*ByDataFilter`` endpoints line by line: values read, written and cleared, and the
spreadsheet read, where DataFilters say where. gspread has no helpers for them, so these go
through its own HTTP client (as the sync worker will) or raw HTTP."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
import requests

from sync.emulator import EmulatorServer

AUTH = {"Authorization": "Bearer spec"}


def _seed(server: EmulatorServer) -> str:
    rows = [
        ["ID", "학교명", "학생수"],
        ["1", "미사초", "300"],
        ["2", "위례중", "250"],
        ["3", "감일고", "400"],
    ]
    return server.emulator.create_spreadsheet(
        "필터", {"학교": rows, "사업": [["ID", "사업명"], ["P1", "캠퍼스 투어"]]}
    )


def _post(server: EmulatorServer, path: str, body: dict[str, Any], **params: str) -> requests.Response:
    return requests.post(
        f"{server.url}/v4/spreadsheets/{path}", json=body, params=params, headers=AUTH, timeout=5
    )


def _anchor(server: EmulatorServer, key: str, row: int, value: str, sheet_id: int = 0) -> dict[str, Any]:
    """Row metadata as the sync worker anchors a record: key eduhub.id, value the record's ID."""
    location = {
        "dimensionRange": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}
    }
    body = {
        "metadataKey": "eduhub.id",
        "metadataValue": value,
        "visibility": "DOCUMENT",
        "location": location,
    }
    answer = _post(
        server, f"{key}:batchUpdate", {"requests": [{"createDeveloperMetadata": {"developerMetadata": body}}]}
    )
    assert answer.status_code == 200, answer.text
    created: dict[str, Any] = answer.json()["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    return created


def _by_id(value: str) -> dict[str, Any]:
    return {"developerMetadataLookup": {"metadataKey": "eduhub.id", "metadataValue": value}}


# ----- values:batchGetByDataFilter -----


def test_batch_get_reads_the_whole_row_of_each_matched_metadata(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    _anchor(server, key, 1, "1")
    _anchor(server, key, 3, "3")
    url = f"{server.url}/v4/spreadsheets/{key}/values:batchGetByDataFilter"
    lookup = {"developerMetadataLookup": {"metadataKey": "eduhub.id"}}
    answer = client.http_client.request("post", url, json={"dataFilters": [lookup]}).json()
    assert answer == {
        "spreadsheetId": key,
        "valueRanges": [
            {
                "valueRange": {
                    "range": "학교!A2:Z2",
                    "majorDimension": "ROWS",
                    "values": [["1", "미사초", "300"]],
                },
                "dataFilters": [lookup],
            },
            {
                "valueRange": {
                    "range": "학교!A4:Z4",
                    "majorDimension": "ROWS",
                    "values": [["3", "감일고", "400"]],
                },
                "dataFilters": [lookup],
            },
        ],
    }


def test_batch_get_lists_a_range_once_with_every_filter_that_matched(server: EmulatorServer) -> None:
    key = _seed(server)
    anchor = _anchor(server, key, 2, "2")
    by_id = {"developerMetadataLookup": {"metadataId": anchor["metadataId"]}}
    a1 = {"a1Range": "학교!A3:C3"}
    answer = _post(
        server,
        f"{key}/values:batchGetByDataFilter",
        {"dataFilters": [_by_id("2"), by_id, a1], "valueRenderOption": "UNFORMATTED_VALUE"},
    ).json()
    assert [(m["valueRange"]["range"], m["dataFilters"]) for m in answer["valueRanges"]] == [
        ("학교!A3:Z3", [_by_id("2"), by_id]),
        ("학교!A3:C3", [a1]),
    ]
    assert answer["valueRanges"][0]["valueRange"]["values"] == [[2, "위례중", 250]]


def test_batch_get_by_ranges_columns_and_sheets(server: EmulatorServer) -> None:
    key = _seed(server)
    column = {"dimensionRange": {"dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}}
    create = [
        {
            "createDeveloperMetadata": {
                "developerMetadata": {"metadataKey": k, "visibility": "DOCUMENT", "location": loc}
            }
        }
        for k, loc in (("names", column), ("tab", {"sheetId": 1_000_001}), ("doc", {"spreadsheet": True}))
    ]
    assert _post(server, f"{key}:batchUpdate", {"requests": create}).status_code == 200

    def read(*filters: dict[str, Any], **options: Any) -> list[dict[str, Any]]:
        answer = _post(
            server, f"{key}/values:batchGetByDataFilter", {"dataFilters": list(filters), **options}
        ).json()
        ranges: list[dict[str, Any]] = [m["valueRange"] for m in answer.get("valueRanges", [])]
        return ranges

    # A COLUMN metadata selects the whole column, a SHEET metadata the whole sheet.
    names = read({"developerMetadataLookup": {"metadataKey": "names"}}, majorDimension="COLUMNS")
    assert names == [
        {
            "range": "학교!B1:B1000",
            "majorDimension": "COLUMNS",
            "values": [["학교명", "미사초", "위례중", "감일고"]],
        }
    ]
    assert read({"developerMetadataLookup": {"metadataKey": "tab"}}) == [
        {
            "range": "사업!A1:Z1000",
            "majorDimension": "ROWS",
            "values": [["ID", "사업명"], ["P1", "캠퍼스 투어"]],
        }
    ]
    # Spreadsheet metadata has no place in the grid; a lookup matching nothing answers nothing.
    assert read({"developerMetadataLookup": {"metadataKey": "doc"}}) == []
    assert read({"developerMetadataLookup": {"metadataKey": "nobody"}}) == []
    grid = {
        "gridRange": {
            "sheetId": 0,
            "startRowIndex": 1,
            "endRowIndex": 3,
            "startColumnIndex": 0,
            "endColumnIndex": 2,
        }
    }
    assert read(grid)[0] == {
        "range": "학교!A2:B3",
        "majorDimension": "ROWS",
        "values": [["1", "미사초"], ["2", "위례중"]],
    }
    bad = _post(server, f"{key}/values:batchGetByDataFilter", {"dataFilters": [{"a1Range": "없는탭!A1"}]})
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "Unable to parse range: 없는탭!A1"


# ----- values:batchUpdateByDataFilter -----


def _update(server: EmulatorServer, key: str, data: list[dict[str, Any]], **body: Any) -> requests.Response:
    return _post(
        server, f"{key}/values:batchUpdateByDataFilter", {"valueInputOption": "RAW", "data": data, **body}
    )


def test_writes_find_the_record_after_rows_moved(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    _anchor(server, key, 2, "2")
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.insert_rows([["9", "새학교", "10"]], row=2)  # 위례중 is now on row 4
    worksheet.sort((2, "asc"), range="A2:C5")  # and sorting moves it again
    version = server.emulator.store.get(key).version  # type: ignore[union-attr]
    answer = _update(server, key, [{"dataFilter": _by_id("2"), "values": [[None, "위례중학교", 260]]}])
    assert answer.status_code == 200, answer.text
    row = next(i for i, r in enumerate(worksheet.get_all_values()) if r[0] == "2")
    assert answer.json() == {
        "spreadsheetId": key,
        "totalUpdatedRows": 1,
        "totalUpdatedColumns": 2,
        "totalUpdatedCells": 2,
        "totalUpdatedSheets": 1,
        "responses": [
            {
                "updatedRange": f"학교!A{row + 1}:C{row + 1}",
                "updatedRows": 1,
                "updatedColumns": 2,
                "updatedCells": 2,
                "dataFilter": _by_id("2"),
            }
        ],
    }
    assert worksheet.row_values(row + 1) == ["2", "위례중학교", "260"]
    assert server.emulator.store.get(key).version == version + 1  # type: ignore[union-attr]


def test_null_is_skipped_and_empty_string_clears(server: EmulatorServer) -> None:
    key = _seed(server)
    _anchor(server, key, 1, "1")
    answer = _update(
        server,
        key,
        [{"dataFilter": _by_id("1"), "values": [[None, "", "301"]]}],
        valueInputOption="USER_ENTERED",
    )
    assert answer.json()["responses"][0]["updatedCells"] == 2
    assert server.emulator.values(key, "학교!A2:C2", render="UNFORMATTED_VALUE") == [[1, "", 301]]


def test_values_are_written_to_every_range_the_filter_matches(server: EmulatorServer) -> None:
    key = _seed(server)
    for row in (1, 2, 3):
        _anchor(server, key, row, str(row))
    every = {"developerMetadataLookup": {"metadataKey": "eduhub.id"}}
    answer = _update(
        server, key, [{"dataFilter": every, "values": [[None, None, "0"]]}], includeValuesInResponse=True
    )
    body = answer.json()
    assert [r["updatedRange"] for r in body["responses"]] == ["학교!A2:C2", "학교!A3:C3", "학교!A4:C4"]
    # Totals add up the responses, as values.batchUpdate's do (no recording says otherwise).
    assert (body["totalUpdatedRows"], body["totalUpdatedColumns"], body["totalUpdatedCells"]) == (3, 3, 3)
    assert body["responses"][0]["updatedData"] == {
        "range": "학교!A2:C2",
        "majorDimension": "ROWS",
        "values": [["1", "미사초", "0"]],
    }


def test_a_write_by_range_and_in_columns(server: EmulatorServer) -> None:
    key = _seed(server)
    data = [
        {"dataFilter": {"a1Range": "학교!D1:D3"}, "majorDimension": "COLUMNS", "values": [["비고", "a", "b"]]}
    ]
    assert _update(server, key, data).json()["responses"][0]["updatedRange"] == "학교!D1:D3"
    assert server.emulator.values(key, "학교!D1:D3") == [["비고"], ["a"], ["b"]]


def test_values_exceeding_a_matched_range_fail_and_write_nothing(server: EmulatorServer) -> None:
    key = _seed(server)
    _anchor(server, key, 1, "1")
    fine = {"dataFilter": {"a1Range": "학교!A5"}, "values": [["먼저"]]}
    two_rows = {"dataFilter": _by_id("1"), "values": [["1"], ["x"]]}
    answer = _update(server, key, [fine, two_rows])
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": 400,
        "message": "Requested writing within range [학교!A2:Z2], but tried writing to row [3]",
        "status": "INVALID_ARGUMENT",
    }
    too_wide = {"dataFilter": {"a1Range": "학교!A2:B2"}, "values": [["1", "미사초", "300"]]}
    assert "tried writing to column [C]" in _update(server, key, [too_wide]).json()["error"]["message"]
    assert server.emulator.values(key, "학교!A5") == []


def test_value_input_option_is_required(server: EmulatorServer) -> None:
    key = _seed(server)
    answer = _post(server, f"{key}/values:batchUpdateByDataFilter", {"data": []})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "'valueInputOption' is required but not specified"
    nothing = _update(server, key, [{"dataFilter": _by_id("없음"), "values": [["x"]]}])
    assert nothing.json() == {"spreadsheetId": key}


# ----- values:batchClearByDataFilter -----


def test_batch_clear_clears_values_and_keeps_notes(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    _anchor(server, key, 2, "2")
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.update_notes({"B3": "메모"})
    filters = [_by_id("2"), {"a1Range": "학교!C2"}, _by_id("없음")]
    answer = _post(server, f"{key}/values:batchClearByDataFilter", {"dataFilters": filters}).json()
    assert answer == {"spreadsheetId": key, "clearedRanges": ["학교!A3:Z3", "학교!C2"]}
    assert worksheet.get_all_values()[1:3] == [["1", "미사초", ""], ["", "", ""]]
    assert worksheet.get_note("B3") == "메모"


# ----- spreadsheets.getByDataFilter -----


def test_get_by_data_filter_returns_grid_data_only_for_matched_ranges(server: EmulatorServer) -> None:
    key = _seed(server)
    anchor = _anchor(server, key, 3, "3")
    body = _post(
        server, f"{key}:getByDataFilter", {"dataFilters": [_by_id("3")], "includeGridData": True}
    ).json()
    assert [s["properties"]["title"] for s in body["sheets"]] == ["학교"]
    data = body["sheets"][0]["data"]
    assert len(data) == 1 and data[0]["startRow"] == 3
    assert [c["formattedValue"] for c in data[0]["rowData"][0]["values"]] == ["3", "감일고", "400"]
    assert data[0]["rowMetadata"] == [{"pixelSize": 21, "developerMetadata": [anchor]}]
    masked = _post(
        server,
        f"{key}:getByDataFilter",
        {"dataFilters": [_by_id("3"), {"a1Range": "사업!A2"}]},
        fields="sheets(properties.title,data.rowData.values.userEnteredValue)",
    ).json()
    assert masked == {
        "sheets": [
            {
                "properties": {"title": "학교"},
                "data": [
                    {
                        "rowData": [
                            {
                                "values": [
                                    {"userEnteredValue": {"numberValue": 3}},
                                    {"userEnteredValue": {"stringValue": "감일고"}},
                                    {"userEnteredValue": {"numberValue": 400}},
                                ]
                            }
                        ]
                    }
                ],
            },
            {
                "properties": {"title": "사업"},
                "data": [{"rowData": [{"values": [{"userEnteredValue": {"stringValue": "P1"}}]}]}],
            },
        ]
    }


def test_get_by_data_filter_without_grid_data_or_without_a_match(server: EmulatorServer) -> None:
    key = _seed(server)
    plain = _post(server, f"{key}:getByDataFilter", {"dataFilters": [_by_id("3")]}).json()
    assert [s["properties"]["title"] for s in plain["sheets"]] == ["학교", "사업"]
    assert all("data" not in s for s in plain["sheets"])
    none = _post(
        server, f"{key}:getByDataFilter", {"dataFilters": [_by_id("3")], "includeGridData": True}
    ).json()
    assert "sheets" not in none and none["spreadsheetId"] == key


# ----- the machinery sees them like any route -----


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        (
            "values:batchGetByDataFilter",
            "sheets.spreadsheets.values.batchGetByDataFilter",
            {"dataFilters": []},
        ),
        (
            "values:batchUpdateByDataFilter",
            "sheets.spreadsheets.values.batchUpdateByDataFilter",
            {"valueInputOption": "RAW", "data": [{"dataFilter": {"a1Range": "학교!A9"}, "values": [["x"]]}]},
        ),
        (
            "values:batchClearByDataFilter",
            "sheets.spreadsheets.values.batchClearByDataFilter",
            {"dataFilters": []},
        ),
        (":getByDataFilter", "sheets.spreadsheets.getByDataFilter", {"dataFilters": []}),
    ],
)
def test_routes_are_named_logged_and_fault_injectable(
    server: EmulatorServer, client: gspread.Client, path: str, method: str, body: dict[str, Any]
) -> None:
    key = _seed(server)
    url = f"{key}{path}" if path.startswith(":") else f"{key}/{path}"
    server.emulator.faults.inject("error", count=1, status=503, method=method)
    assert _post(server, url, body).status_code == 503
    assert server.emulator.values(key, "학교!A9") == []  # the fault came before the write
    assert _post(server, url, body).status_code == 200
    assert server.emulator.request_counts()[method] == 2
    assert ("sheets.spreadsheets.values.batchUpdate", "token:spec", 200) not in server.emulator.request_log


def test_write_quota_counts_batch_update_by_data_filter() -> None:
    from sync.emulator import Emulator, QuotaLimits

    with EmulatorServer(Emulator(quota=QuotaLimits(write_per_user=2))) as limited:
        key = _seed(limited)
        body = {"valueInputOption": "RAW", "data": []}
        statuses = [
            _post(limited, f"{key}/values:batchUpdateByDataFilter", body).status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        # Reads are another bucket.
        assert _post(limited, f"{key}/values:batchGetByDataFilter", {"dataFilters": []}).status_code == 200
