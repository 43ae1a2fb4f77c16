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


def test_proto3_defaults_mean_unset_when_creating(server: EmulatorServer) -> None:
    # metadataId 0 is "not set" (Google picks one); no location names nothing narrower than
    # the spreadsheet; an empty metadataValue is not written back.
    key = _seed(server)
    body = {"metadataKey": "k", "metadataValue": "", "visibility": "DOCUMENT", "metadataId": 0}
    answer = _batch(server, key, {"createDeveloperMetadata": {"developerMetadata": body}})
    created = answer.json()["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert created["metadataId"] > 0
    assert created["location"] == {"locationType": "SPREADSHEET", "spreadsheet": True}
    assert "metadataValue" not in created


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
    assert "positive" in _refused(server, key, {**base, "location": row, "metadataId": -3})
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
    # Proto3 defaults ("", 0, *_UNSPECIFIED) are fields left unset, not values to match.
    unset = {"metadataKey": "eduhub.id", "metadataValue": "", "metadataId": 0}
    assert ids({**unset, "locationType": "DEVELOPER_METADATA_LOCATION_TYPE_UNSPECIFIED"}) == [
        a["metadataId"],
        b["metadataId"],
    ]


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


# ----- metadata follows its rows and columns -----


def _span(server: EmulatorServer, key: str, metadata: dict[str, Any]) -> tuple[int, int] | None:
    """Where a metadata's dimensionRange is now; None once it has been deleted."""
    url = f"{server.url}/v4/spreadsheets/{key}/developerMetadata/{metadata['metadataId']}"
    answer = requests.get(url, headers=AUTH, timeout=5)
    if answer.status_code == 404:
        return None
    span = answer.json()["location"]["dimensionRange"]
    return int(span["startIndex"]), int(span["endIndex"])


def _ids_follow_rows(server: EmulatorServer, key: str) -> None:
    """Every single-row metadata's value is still the ID in column A of the row it is on."""
    ids = [row[0] if row else "" for row in server.emulator.values(key, "'학교'!A1:A1000")]
    for metadata in _all(server, key):
        start, end = (
            metadata["location"]["dimensionRange"]["startIndex"],
            metadata["location"]["dimensionRange"]["endIndex"],
        )
        if end - start == 1 and "metadataValue" in metadata:
            assert ids[start] == metadata["metadataValue"], (metadata, ids[:8])


def _one_per_row(server: EmulatorServer, key: str) -> list[dict[str, Any]]:
    # Rows 2..5 (indexes 1..4) hold IDs 1..4; each gets metadata valued with its ID.
    return [_create(server, key, _rows(0, i, i + 1), metadataValue=str(i)) for i in range(1, 5)]


def test_inserted_rows_push_metadata_down_and_grow_ranges_they_land_inside(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    single = _one_per_row(server, key)
    block = _create(server, key, _rows(0, 1, 5))
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.insert_rows([["새"]], row=3)  # before index 2: strictly inside the block
    assert [_span(server, key, m) for m in single] == [(1, 2), (3, 4), (4, 5), (5, 6)]
    assert _span(server, key, block) == (1, 6)
    worksheet.insert_rows([["맨 위"]], row=2)  # at the block's first row: the block moves, not grows
    assert _span(server, key, block) == (2, 7)
    worksheet.insert_rows([["아래"]], row=8)  # right after the block: it stays
    assert _span(server, key, block) == (2, 7)
    _ids_follow_rows(server, key)


def test_append_with_insert_rows_shifts_metadata_below_the_table(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    last = _create(server, key, _rows(0, 4, 5), metadataValue="4")
    below = _create(server, key, _rows(0, 7, 8))
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.append_rows(
        [["5", "새학교"], ["6", "또"]], insert_data_option=gspread.utils.InsertDataOption.insert_rows
    )
    assert _span(server, key, last) == (4, 5)
    assert _span(server, key, below) == (9, 10)


def test_deleting_rows_shrinks_or_deletes_metadata(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    single = _one_per_row(server, key)
    block = _create(server, key, _rows(0, 1, 5))
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.delete_rows(3)  # index 2: "If the associated object is deleted its metadata is deleted too"
    assert [_span(server, key, m) for m in single] == [(1, 2), None, (2, 3), (3, 4)]
    assert _span(server, key, block) == (1, 4)
    worksheet.delete_rows(2, 4)  # indexes 1..3: the rest of the block
    assert _span(server, key, block) is None
    assert _all(server, key) == []


def test_column_metadata_follows_inserted_and_deleted_columns(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    name = _create(server, key, {"dimensionRange": {"dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}})
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.insert_cols([["비고"]], col=1)
    assert _span(server, key, name) == (2, 3)
    worksheet.delete_columns(3)
    assert _span(server, key, name) is None


def test_move_dimension_carries_metadata_with_its_rows(server: EmulatorServer) -> None:
    key = _seed(server)
    single = _one_per_row(server, key)
    block = _create(server, key, _rows(0, 0, 3))
    # Google's own example: rows [1, 3) to destination 4 turns 0,1,2,3,4 into 0,3,1,2,4.
    move = {
        "source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 3},
        "destinationIndex": 4,
    }
    assert _batch(server, key, {"moveDimension": move}).status_code == 200
    assert [row[0] for row in server.emulator.values(key, "'학교'!A1:A5")] == ["ID", "3", "1", "2", "4"]
    assert [_span(server, key, m) for m in single] == [(2, 3), (3, 4), (1, 2), (4, 5)]
    # The block [0, 3) lost rows 1 and 2 to the move; the row that slid up into index 1 was
    # never in it, so only the header row is left.
    assert _span(server, key, block) == (0, 1)
    _ids_follow_rows(server, key)
    back = {
        **move,
        "source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 2, "endIndex": 4},
        "destinationIndex": 1,
    }
    assert _batch(server, key, {"moveDimension": back}).status_code == 200
    assert [row[0] for row in server.emulator.values(key, "'학교'!A1:A5")] == ["ID", "1", "2", "3", "4"]
    _ids_follow_rows(server, key)
    nowhere = {**move, "destinationIndex": 5000}
    assert _batch(server, key, {"moveDimension": nowhere}).status_code == 400


def test_sorting_moves_single_row_metadata_with_its_row(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    single = _one_per_row(server, key)
    block = _create(server, key, _rows(0, 1, 5))
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.sort((2, "des"), range="A2:B5")  # by name: 위례중, 신장초, 미사초, 감일고
    assert worksheet.col_values(1) == ["ID", "2", "4", "1", "3"]
    assert [_span(server, key, m) for m in single] == [(3, 4), (1, 2), (4, 5), (2, 3)]
    assert _span(server, key, block) == (1, 5)
    _ids_follow_rows(server, key)


def test_copy_and_cut_paste_leave_row_metadata_where_it_was(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    single = _one_per_row(server, key)
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.copy_range("A2:B3", "A10")
    worksheet.cut_range("A4:B5", "D10")
    assert [_span(server, key, m) for m in single] == [(1, 2), (2, 3), (3, 4), (4, 5)]
    assert len(_all(server, key)) == 4


def test_shrinking_the_grid_clips_metadata_past_the_new_edge(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    inside = _create(server, key, _rows(0, 1, 2))
    straddling = _create(server, key, _rows(0, 2, 8))
    outside = _create(server, key, _rows(0, 6, 7))
    client.open_by_key(key).worksheet("학교").resize(rows=5)
    assert [_span(server, key, m) for m in (inside, straddling, outside)] == [(1, 2), (2, 5), None]


def test_metadata_survives_persistence_and_page_edits(tmp_path: Any) -> None:
    from sync.emulator import Emulator

    path = str(tmp_path / "store.json")
    with EmulatorServer(Emulator(persist_path=path)) as running:
        key = _seed(running)
        created = _create(running, key, _rows(0, 2, 3), metadataValue="2")
        answer = requests.post(f"{running.url}/sheets/{key}/edit?tab=학교", data={"B3": "위례초"}, timeout=5)
        assert answer.status_code == 200
        assert _all(running, key) == [created]
    with EmulatorServer(Emulator(persist_path=path)) as restarted:
        assert _all(restarted, key) == [created]
        assert restarted.emulator.values(key, "'학교'!B3") == [["위례초"]]


# ----- grid data: DimensionProperties.developerMetadata -----

# The sync worker's one read of its tabs.
SYNC_FIELDS = (
    "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),data(startRow,"
    "rowData(values(userEnteredValue,note)),rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue))))"
)


def test_the_sync_read_carries_row_metadata_per_row(server: EmulatorServer, client: gspread.Client) -> None:
    key = _seed(server)
    single = _one_per_row(server, key)
    _create(server, key, _rows(0, 1, 5), metadataKey="eduhub.block")  # several rows: on none of them
    _create(server, key, {"sheetId": 0}, metadataKey="eduhub.tab")
    spreadsheet = client.open_by_key(key)
    spreadsheet.worksheet("학교").update_notes({"B3": "확인"})
    body = spreadsheet.fetch_sheet_metadata({"ranges": ["'학교'", "'사업'"], "fields": SYNC_FIELDS})
    schools, programs = body["sheets"]
    assert schools["properties"] == {
        "sheetId": 0,
        "title": "학교",
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }
    data = schools["data"][0]
    assert set(data) == {"rowData", "rowMetadata"}  # startRow 0 is a proto default
    # rowData trimmed as Google trims: trailing empty cells and rows gone.
    assert len(data["rowData"]) == 5
    assert data["rowData"][2] == {
        "values": [
            {"userEnteredValue": {"numberValue": 2}},
            {"userEnteredValue": {"stringValue": "위례중"}, "note": "확인"},
        ]
    }
    # One rowMetadata entry per requested row, masked like everything else.
    assert len(data["rowMetadata"]) == 1000
    assert data["rowMetadata"][0] == {}
    for index, metadata in enumerate(single, start=1):
        expected = {k: metadata[k] for k in ("metadataId", "metadataKey", "metadataValue")}
        assert data["rowMetadata"][index] == {"developerMetadata": [expected]}
    assert all(entry == {} for entry in data["rowMetadata"][5:])
    assert programs["data"] == [
        {"rowData": [{"values": [{"userEnteredValue": {"stringValue": "ID"}}]}], "rowMetadata": [{}] * 1000}
    ]


def test_a_range_starting_below_the_top_lines_its_metadata_up(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    third = _create(server, key, _rows(0, 3, 4), metadataValue="3")
    body = client.open_by_key(key).fetch_sheet_metadata({"ranges": "'학교'!A3:B4", "fields": SYNC_FIELDS})
    data = body["sheets"][0]["data"][0]
    assert data["startRow"] == 2
    assert [row["values"][0]["userEnteredValue"] for row in data["rowData"]] == [
        {"numberValue": 2},
        {"numberValue": 3},
    ]
    assert data["rowMetadata"] == [
        {},
        {
            "developerMetadata": [
                {"metadataId": third["metadataId"], "metadataKey": "eduhub.id", "metadataValue": "3"}
            ]
        },
    ]


def test_full_grid_data_has_whole_metadata_on_rows_and_columns(server: EmulatorServer) -> None:
    key = _seed(server)
    row = _create(server, key, _rows(0, 1, 2), metadataValue="1")
    column = _create(
        server, key, {"dimensionRange": {"dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}}
    )
    answer = requests.get(
        f"{server.url}/v4/spreadsheets/{key}",
        params={"ranges": "'학교'!A1:C2", "includeGridData": "true"},
        headers=AUTH,
        timeout=5,
    ).json()
    data = answer["sheets"][0]["data"][0]
    assert data["rowMetadata"] == [{"pixelSize": 21}, {"pixelSize": 21, "developerMetadata": [row]}]
    assert data["columnMetadata"] == [
        {"pixelSize": 100},
        {"pixelSize": 100, "developerMetadata": [column]},
        {"pixelSize": 100},
    ]
    # Everything else about the cells is still there when no mask drops it.
    cell = data["rowData"][1]["values"][1]
    assert cell["formattedValue"] == "미사초" and cell["effectiveValue"] == {"stringValue": "미사초"}
    assert cell["effectiveFormat"]["hyperlinkDisplayType"] == "PLAIN_TEXT"


def test_a_mask_reaching_inside_a_cell_field_still_applies(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = _seed(server)
    worksheet = client.open_by_key(key).worksheet("학교")
    worksheet.format("A1", {"textFormat": {"bold": True}, "horizontalAlignment": "CENTER"})
    body = client.open_by_key(key).fetch_sheet_metadata(
        {
            "ranges": "'학교'!A1:B1",
            "fields": "sheets.data.rowData.values(userEnteredFormat.textFormat,formattedValue)",
        }
    )
    assert body["sheets"][0]["data"][0]["rowData"] == [
        {
            "values": [
                {"userEnteredFormat": {"textFormat": {"bold": True}}, "formattedValue": "ID"},
                {"formattedValue": "학교명"},
            ]
        }
    ]


def test_ids_freed_by_a_delete_or_a_rolled_back_batch_can_be_used_again(server: EmulatorServer) -> None:
    key = _seed(server)
    _create(server, key, _rows(0, 1, 2), metadataId=5)
    by_id = {"developerMetadataLookup": {"metadataId": 5}}
    assert _batch(server, key, {"deleteDeveloperMetadata": {"dataFilter": by_id}}).status_code == 200
    _create(server, key, _rows(0, 1, 2), metadataId=5)
    assert "already exists" in _refused(
        server, key, {"metadataKey": "k", "visibility": "DOCUMENT", "metadataId": 5}
    )
    six = {"metadataKey": "k", "visibility": "DOCUMENT", "metadataId": 6}
    failing = _batch(
        server,
        key,
        {"createDeveloperMetadata": {"developerMetadata": six}},
        {"createDeveloperMetadata": {"developerMetadata": {"visibility": "DOCUMENT"}}},
    )
    assert failing.status_code == 400
    assert _create(server, key, {"spreadsheet": True}, metadataId=6)["metadataId"] == 6


def test_dimension_properties_updates_do_not_write_developer_metadata(server: EmulatorServer) -> None:
    key = _seed(server)
    fake = [{"metadataId": 1, "metadataKey": "x", "visibility": "DOCUMENT"}]
    rows = {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 2}
    update = {"range": rows, "properties": {"pixelSize": 40, "developerMetadata": fake}, "fields": "*"}
    assert _batch(server, key, {"updateDimensionProperties": update}).status_code == 200
    answer = requests.get(
        f"{server.url}/v4/spreadsheets/{key}",
        params={"ranges": "'학교'!A1:A2", "fields": "sheets.data.rowMetadata"},
        headers=AUTH,
        timeout=5,
    ).json()
    assert answer["sheets"][0]["data"][0]["rowMetadata"] == [{"pixelSize": 40}, {"pixelSize": 40}]
    assert _all(server, key) == []
