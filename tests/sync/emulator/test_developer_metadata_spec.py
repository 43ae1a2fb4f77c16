"""Developer metadata line by line (Google's DeveloperMetadata, DeveloperMetadataLookup and the
create/update/delete requests), through unmodified gspread where it has a method and raw HTTP
otherwise. No recording of real Google traffic covers metadata; these follow the reference docs."""

from __future__ import annotations

from typing import Any

import gspread
import requests

from sync.emulator import EmulatorServer

AUTH = {"Authorization": "Bearer spec"}


def _seed(server: EmulatorServer) -> str:
    rows = [["ID", "학교명"], ["1", "미사초"], ["2", "위례중"], ["3", "감일고"], ["4", "신장초"]]
    return server.emulator.create_spreadsheet("메타", {"학교": rows, "사업": [["ID"]]})


def _batch(server: EmulatorServer, key: str, *requests_: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{server.url}/v4/spreadsheets/{key}:batchUpdate",
        json={"requests": list(requests_)},
        headers=AUTH,
        timeout=5,
    )


def _rows(sheet_id: int, start: int, end: int) -> dict[str, Any]:
    return {
        "dimensionRange": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": start, "endIndex": end}
    }


def _create(server: EmulatorServer, key: str, location: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"metadataKey": "eduhub.id", "visibility": "DOCUMENT", "location": location, **extra}
    answer = _batch(server, key, {"createDeveloperMetadata": {"developerMetadata": body}})
    assert answer.status_code == 200, answer.text
    created: dict[str, Any] = answer.json()["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    return created


def _search(server: EmulatorServer, key: str, *filters: dict[str, Any]) -> list[dict[str, Any]]:
    answer = requests.post(
        f"{server.url}/v4/spreadsheets/{key}/developerMetadata:search",
        json={"dataFilters": list(filters)},
        headers=AUTH,
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    matched: list[dict[str, Any]] = answer.json().get("matchedDeveloperMetadata", [])
    return matched


def _all(server: EmulatorServer, key: str) -> list[dict[str, Any]]:
    return [m["developerMetadata"] for m in _search(server, key, {"developerMetadataLookup": {}})]


def _sheet_id(client: gspread.Client, key: str, title: str = "학교") -> int:
    return int(client.open_by_key(key).worksheet(title).id)


# ----- createDeveloperMetadata -----


def test_create_row_metadata_answers_the_stored_resource(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    sheet_id = _sheet_id(client, key, "사업")
    created = _create(server, key, _rows(sheet_id, 1, 2), metadataValue="S-1", metadataId=77)
    assert created == {
        "metadataId": 77,
        "metadataKey": "eduhub.id",
        "metadataValue": "S-1",
        "location": {
            "locationType": "ROW",
            "dimensionRange": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2},
        },
        "visibility": "DOCUMENT",
    }
    fetched = requests.get(
        f"{server.url}/v4/spreadsheets/{key}/developerMetadata/77", headers=AUTH, timeout=5
    )
    assert fetched.json() == created


def test_create_on_the_first_sheet_leaves_out_sheet_id_zero(server: EmulatorServer) -> None:
    # DimensionRange.sheetId 0 is a proto default and is not written; startIndex 0 is (as in groups).
    key = _seed(server)
    column = _create(
        server,
        key,
        {"dimensionRange": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}},
    )
    assert column["location"] == {
        "locationType": "COLUMN",
        "dimensionRange": {"dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
    }
    sheet = _create(server, key, {"sheetId": 0})
    assert sheet["location"] == {"locationType": "SHEET", "sheetId": 0}
    whole = _create(server, key, {"spreadsheet": True}, visibility="PROJECT")
    assert whole["location"] == {"locationType": "SPREADSHEET", "spreadsheet": True}
    assert whole["visibility"] == "PROJECT"
    assert (
        whole["metadataId"] > 0 and len({column["metadataId"], sheet["metadataId"], whole["metadataId"]}) == 3
    )


def _refused(server: EmulatorServer, key: str, metadata: dict[str, Any]) -> str:
    answer = _batch(server, key, {"createDeveloperMetadata": {"developerMetadata": metadata}})
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and error["code"] == 400
    assert error["message"].startswith("Invalid requests[0].createDeveloperMetadata: ")
    message: str = error["message"]
    return message


def test_create_refuses_what_the_reference_rules_out(server: EmulatorServer) -> None:
    key = _seed(server)
    row = _rows(0, 1, 2)
    # "Developer metadata must always have a key specified" / "... a visibility specified".
    assert "key" in _refused(server, key, {"visibility": "DOCUMENT", "location": row})
    assert "visibility" in _refused(server, key, {"metadataKey": "k", "location": row})
    assert "visibility" in _refused(
        server, key, {"metadataKey": "k", "visibility": "PUBLIC", "location": row}
    )
    base = {"metadataKey": "k", "visibility": "DOCUMENT"}
    # "Must be positive"; ids are spreadsheet-scoped unique.
    assert "positive" in _refused(server, key, {**base, "location": row, "metadataId": 0})
    _create(server, key, row, metadataId=5)
    assert "already exists" in _refused(server, key, {**base, "location": row, "metadataId": 5})
    # The dimensionRange must be bounded, inside the grid, on a sheet that exists.
    assert "No grid with id: 99" in _refused(server, key, {**base, "location": _rows(99, 0, 1)})
    assert "within the grid" in _refused(server, key, {**base, "location": _rows(0, 999, 1001)})
    assert "within the grid" in _refused(server, key, {**base, "location": _rows(0, 3, 3)})
    unbounded = {"dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": 2}}
    assert "unbounded" in _refused(server, key, {**base, "location": unbounded})
    assert "Oneof" in _refused(server, key, {**base, "location": {"sheetId": 0, **row}})
    assert [m["metadataId"] for m in _all(server, key)] == [5]


def test_a_refused_create_rolls_back_the_batch(server: EmulatorServer) -> None:
    key = _seed(server)
    good = {"metadataKey": "k", "visibility": "DOCUMENT", "location": _rows(0, 1, 2)}
    answer = _batch(
        server,
        key,
        {"createDeveloperMetadata": {"developerMetadata": good}},
        {"createDeveloperMetadata": {"developerMetadata": {**good, "metadataKey": ""}}},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith("Invalid requests[1].createDeveloperMetadata:")
    assert _all(server, key) == []


# ----- developerMetadata:search and the DeveloperMetadataLookup -----


def test_lookup_fields_all_have_to_match(server: EmulatorServer) -> None:
    key = _seed(server)
    a = _create(server, key, _rows(0, 1, 2), metadataValue="1")
    b = _create(server, key, _rows(0, 2, 3), metadataValue="2", visibility="PROJECT")
    c = _create(server, key, {"sheetId": 0}, metadataKey="eduhub.tab", metadataValue="schools")

    def ids(lookup: dict[str, Any]) -> list[int]:
        return [
            m["developerMetadata"]["metadataId"]
            for m in _search(server, key, {"developerMetadataLookup": lookup})
        ]

    assert ids({"metadataKey": "eduhub.id"}) == [a["metadataId"], b["metadataId"]]
    assert ids({"metadataKey": "eduhub.id", "metadataValue": "2"}) == [b["metadataId"]]
    assert ids({"visibility": "DOCUMENT"}) == [a["metadataId"], c["metadataId"]]
    assert ids({"locationType": "SHEET"}) == [c["metadataId"]]
    assert ids({"metadataId": a["metadataId"]}) == [a["metadataId"]]
    assert ids({"metadataId": a["metadataId"], "metadataKey": "other"}) == []


def test_search_lists_every_filter_that_matched(server: EmulatorServer) -> None:
    key = _seed(server)
    a = _create(server, key, _rows(0, 1, 2), metadataValue="1")
    by_key = {"developerMetadataLookup": {"metadataKey": "eduhub.id"}}
    by_id = {"developerMetadataLookup": {"metadataId": a["metadataId"]}}
    assert _search(server, key, by_key, by_id) == [{"developerMetadata": a, "dataFilters": [by_key, by_id]}]


def test_location_lookup_exact_and_intersecting(server: EmulatorServer) -> None:
    key = _seed(server)
    row2 = _create(server, key, _rows(0, 2, 3))
    rows1to4 = _create(server, key, _rows(0, 1, 4))
    column_b = _create(
        server, key, {"dimensionRange": {"dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}}
    )
    sheet = _create(server, key, {"sheetId": 0})
    whole = _create(server, key, {"spreadsheet": True})
    other_sheet = _create(server, key, {"sheetId": 1_000_001})

    def ids(**lookup: Any) -> set[int]:
        found = _search(server, key, {"developerMetadataLookup": lookup})
        return {m["developerMetadata"]["metadataId"] for m in found}

    row_location = {"dimensionRange": {"dimension": "ROWS", "startIndex": 2, "endIndex": 3}}
    # "if row three were specified ... match metadata associated on row three" only.
    assert ids(metadataLocation=row_location, locationMatchingStrategy="EXACT_LOCATION") == {
        row2["metadataId"]
    }
    # INTERSECTING is the default: the row, ranges over it, column B which crosses it, its sheet.
    intersecting = {row2["metadataId"], rows1to4["metadataId"], column_b["metadataId"], sheet["metadataId"]}
    assert ids(metadataLocation=row_location) == intersecting
    assert ids(metadataLocation=row_location, locationType="COLUMN") == {column_b["metadataId"]}
    # Spreadsheet metadata intersects nothing but the spreadsheet.
    assert ids(metadataLocation={"spreadsheet": True}) == {whole["metadataId"]}
    assert ids(metadataLocation={"sheetId": 0}, locationMatchingStrategy="EXACT_LOCATION") == {
        sheet["metadataId"]
    }
    assert other_sheet["metadataId"] not in ids(metadataLocation={"sheetId": 0})


def test_lookup_combinations_the_reference_rules_out(server: EmulatorServer) -> None:
    key = _seed(server)
    url = f"{server.url}/v4/spreadsheets/{key}/developerMetadata:search"
    bad: list[dict[str, Any]] = [
        {"locationMatchingStrategy": "EXACT_LOCATION"},  # needs a metadataLocation
        {
            "metadataLocation": {"sheetId": 0},
            "locationMatchingStrategy": "EXACT_LOCATION",
            "locationType": "SHEET",
        },
        {"metadataLocation": {"sheetId": 0}, "locationType": "SPREADSHEET"},
    ]
    for lookup in bad:
        answer = requests.post(
            url, json={"dataFilters": [{"developerMetadataLookup": lookup}]}, headers=AUTH, timeout=5
        )
        assert answer.status_code == 400, lookup
        assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_search_by_range_returns_metadata_intersecting_it(server: EmulatorServer) -> None:
    key = _seed(server)
    row2 = _create(server, key, _rows(0, 2, 3))
    row4 = _create(server, key, _rows(0, 4, 5))
    column_a = _create(
        server, key, {"dimensionRange": {"dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}}
    )
    _create(server, key, {"spreadsheet": True})
    a1 = _search(server, key, {"a1Range": "'학교'!B2:C3"})
    assert [m["developerMetadata"]["metadataId"] for m in a1] == [row2["metadataId"]]
    grid = {"gridRange": {"sheetId": 0, "startRowIndex": 4, "endRowIndex": 5}}
    assert {m["developerMetadata"]["metadataId"] for m in _search(server, key, grid)} == {
        row4["metadataId"],
        column_a["metadataId"],
    }


# ----- updateDeveloperMetadata and deleteDeveloperMetadata -----


def test_update_rewrites_only_the_masked_fields_of_every_match(server: EmulatorServer) -> None:
    key = _seed(server)
    a = _create(server, key, _rows(0, 1, 2), metadataValue="1")
    b = _create(server, key, _rows(0, 2, 3), metadataValue="2")
    request = {
        "updateDeveloperMetadata": {
            "dataFilters": [{"developerMetadataLookup": {"metadataKey": "eduhub.id"}}],
            "developerMetadata": {"metadataKey": "ignored", "metadataValue": "x", "visibility": "PROJECT"},
            "fields": "metadataValue,visibility",
        }
    }
    reply = _batch(server, key, request).json()["replies"][0]["updateDeveloperMetadata"]
    assert [m["metadataId"] for m in reply["developerMetadata"]] == [a["metadataId"], b["metadataId"]]
    assert all(
        m["metadataKey"] == "eduhub.id" and m["metadataValue"] == "x" for m in reply["developerMetadata"]
    )
    assert all(m["visibility"] == "PROJECT" for m in _all(server, key))


def test_update_can_move_metadata_to_a_new_location(server: EmulatorServer) -> None:
    key = _seed(server)
    a = _create(server, key, _rows(0, 1, 2))
    request = {
        "updateDeveloperMetadata": {
            "dataFilters": [{"developerMetadataLookup": {"metadataId": a["metadataId"]}}],
            "developerMetadata": {"location": _rows(0, 3, 4)},
            "fields": "location",
        }
    }
    moved = _batch(server, key, request).json()["replies"][0]["updateDeveloperMetadata"]["developerMetadata"][
        0
    ]
    assert moved["location"]["dimensionRange"] == {"dimension": "ROWS", "startIndex": 3, "endIndex": 4}
    outside = {**request["updateDeveloperMetadata"], "developerMetadata": {"location": _rows(0, 0, 5000)}}
    assert _batch(server, key, {"updateDeveloperMetadata": outside}).status_code == 400


def test_update_needs_fields_and_filters_but_may_match_nothing(server: EmulatorServer) -> None:
    key = _seed(server)
    _create(server, key, _rows(0, 1, 2))
    lookup = [{"developerMetadataLookup": {"metadataKey": "nobody"}}]
    nothing = {"dataFilters": lookup, "developerMetadata": {"metadataValue": "x"}, "fields": "metadataValue"}
    assert _batch(server, key, {"updateDeveloperMetadata": nothing}).json()["replies"] == [
        {"updateDeveloperMetadata": {}}
    ]
    for broken in (
        {**nothing, "fields": ""},
        {**nothing, "dataFilters": []},
        {**nothing, "fields": "metadataId"},
    ):
        answer = _batch(server, key, {"updateDeveloperMetadata": broken})
        assert answer.status_code == 400
        assert answer.json()["error"]["message"].startswith("Invalid requests[0].updateDeveloperMetadata: ")
    clear_key = {**nothing, "dataFilters": [{"developerMetadataLookup": {}}], "fields": "metadataKey"}
    assert _batch(server, key, {"updateDeveloperMetadata": clear_key}).status_code == 400


def test_delete_answers_what_it_deleted(server: EmulatorServer) -> None:
    key = _seed(server)
    a = _create(server, key, _rows(0, 1, 2), metadataValue="1")
    b = _create(server, key, _rows(0, 2, 3), metadataValue="2")
    by_value = {"developerMetadataLookup": {"metadataKey": "eduhub.id", "metadataValue": "1"}}
    reply = _batch(server, key, {"deleteDeveloperMetadata": {"dataFilter": by_value}}).json()
    assert reply["replies"] == [{"deleteDeveloperMetadata": {"deletedDeveloperMetadata": [a]}}]
    again = _batch(server, key, {"deleteDeveloperMetadata": {"dataFilter": by_value}}).json()
    assert again["replies"] == [{"deleteDeveloperMetadata": {}}]
    assert _all(server, key) == [b]
    missing = requests.get(
        f"{server.url}/v4/spreadsheets/{key}/developerMetadata/{a['metadataId']}", headers=AUTH, timeout=5
    )
    assert missing.status_code == 404


def test_delete_sheet_deletes_its_row_column_and_sheet_metadata(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    other = _sheet_id(client, key, "사업")
    kept = _create(server, key, _rows(0, 1, 2))
    _create(server, key, _rows(other, 0, 1))
    _create(server, key, {"sheetId": other})
    client.open_by_key(key).del_worksheet(client.open_by_key(key).worksheet("사업"))
    assert _all(server, key) == [kept]
