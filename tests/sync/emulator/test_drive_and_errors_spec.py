"""Drive v3 files and changes, quotas and error bodies, compared word for word with Google's
recorded bodies in fixtures/google-sheets/google_error_bodies.json."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import gspread
import pytest
import requests

from sync.emulator import Emulator, EmulatorServer, QuotaLimits
from tests.sync.emulator.google_recordings import error_bodies_or_skip

AUTH = {"Authorization": "Bearer spec"}
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"


@pytest.fixture(scope="module")
def google_errors() -> dict[str, Any]:
    return error_bodies_or_skip()


def _drive(server: EmulatorServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, f"{server.url}/drive/v3/{path}", headers=AUTH, timeout=5, **kwargs)


def _version(server: EmulatorServer, key: str) -> int:
    return int(_drive(server, "GET", f"files/{key}", params={"fields": "version"}).json()["version"])


# ----- Drive files -----


def test_files_create_and_get_with_fields(server: EmulatorServer, client: gspread.Client) -> None:
    created = _drive(server, "POST", "files", json={"name": "새 시트", "mimeType": SPREADSHEET_MIME}).json()
    assert set(created) == {"kind", "id", "name", "mimeType"}
    assert (created["kind"], created["name"], created["mimeType"]) == (
        "drive#file",
        "새 시트",
        SPREADSHEET_MIME,
    )
    fields = "id,name,createdTime,modifiedTime"
    got = _drive(server, "GET", f"files/{created['id']}", params={"fields": fields}).json()
    assert set(got) == {"id", "name", "createdTime", "modifiedTime"}
    assert got["createdTime"].endswith("Z") and got["modifiedTime"] >= got["createdTime"]
    assert client.open_by_key(created["id"]).sheet1.title == "Sheet1"


def test_version_and_modified_time_move_on_every_write(
    server: EmulatorServer, client: gspread.Client
) -> None:
    key = server.emulator.create_spreadsheet("버전", {"Sheet1": [["a"]]})
    worksheet = client.open_by_key(key).sheet1
    versions = [_version(server, key)]
    stamps = [client.get_file_drive_metadata(key)["modifiedTime"]]
    writes: list[Callable[[], object]] = [
        lambda: worksheet.update_acell("A1", "b"),
        lambda: worksheet.batch_update([{"range": "B1", "values": [["c"]]}]),
        lambda: worksheet.append_row(["d"]),
        lambda: worksheet.batch_clear(["A2"]),
        lambda: worksheet.update_title("시트"),
        lambda: worksheet.insert_note("A1", "메모"),
    ]
    for write in writes:
        write()
        versions.append(_version(server, key))
        stamps.append(client.get_file_drive_metadata(key)["modifiedTime"])
    assert all(later > earlier for earlier, later in itertools.pairwise(versions))
    assert all(later > earlier for earlier, later in itertools.pairwise(stamps))
    # Reads move nothing.
    worksheet.get_all_values()
    assert _version(server, key) == versions[-1]


def test_files_list_with_gspread_queries_and_paging(server: EmulatorServer, client: gspread.Client) -> None:
    keys = [server.emulator.create_spreadsheet(f"목록 {n}") for n in range(5)]
    listed = client.list_spreadsheet_files()
    assert sorted(f["id"] for f in listed) == sorted(keys)
    assert set(listed[0]) == {"id", "name", "createdTime", "modifiedTime"}
    assert [f["id"] for f in client.list_spreadsheet_files(title="목록 3")] == [keys[3]]
    assert client.list_spreadsheet_files(folder_id="no-such-folder") == []
    query = f'mimeType="{SPREADSHEET_MIME}"'
    first = _drive(
        server, "GET", "files", params={"q": query, "pageSize": 2, "fields": "nextPageToken,files(id)"}
    )
    page = first.json()
    seen = [f["id"] for f in page["files"]]
    while "nextPageToken" in page:
        page = _drive(
            server,
            "GET",
            "files",
            params={
                "q": query,
                "pageSize": 2,
                "pageToken": page["nextPageToken"],
                "fields": "nextPageToken,files(id)",
            },
        ).json()
        seen += [f["id"] for f in page["files"]]
    assert sorted(seen) == sorted(keys) and len(seen) == 5
    bare = _drive(server, "GET", "files", params={"q": query}).json()
    assert set(bare["files"][0]) == {"kind", "id", "name", "mimeType"}


def test_files_list_by_folder(server: EmulatorServer, client: gspread.Client) -> None:
    inside = client.create("폴더 안", folder_id="folder-1")
    client.create("폴더 밖")
    assert [f["id"] for f in client.list_spreadsheet_files(folder_id="folder-1")] == [inside.id]
    query = "'folder-1' in parents and trashed = false"
    listed = _drive(server, "GET", "files", params={"q": query, "fields": "files(id,name)"}).json()
    assert listed == {"files": [{"id": inside.id, "name": "폴더 안"}]}


def test_files_delete(server: EmulatorServer, client: gspread.Client, google_errors: dict[str, Any]) -> None:
    key = server.emulator.create_spreadsheet("지울 것")
    client.del_spreadsheet(key)
    assert client.list_spreadsheet_files() == []
    gone = _drive(server, "GET", f"files/{key}")
    expected = json.loads(
        json.dumps(google_errors["drive_404_file_not_found"]["body"]).replace("NOPE_NOT_A_GOOD_ID", key)
    )
    assert (gone.status_code, gone.json()) == (404, expected)
    sheets = requests.get(f"{server.url}/v4/spreadsheets/{key}", headers=AUTH, timeout=5)
    assert (sheets.status_code, sheets.json()) == (
        404,
        google_errors["sheets_404_spreadsheet_not_found"]["body"],
    )


def test_export_csv(server: EmulatorServer, client: gspread.Client) -> None:
    key = server.emulator.create_spreadsheet(
        "내보내기", {"학교": [["ID", "이름, 별칭", "학생수"], ["1", '큰 "따옴표"', "1,234"]], "둘째": [["x"]]}
    )
    csv = client.export(key, gspread.utils.ExportFormat.CSV).decode()
    assert csv.split("\r\n") == ['ID,"이름, 별칭",학생수', '1,"큰 ""따옴표""","1,234"']


# ----- Drive changes -----


def test_changes_feed(server: EmulatorServer, client: gspread.Client) -> None:
    key = server.emulator.create_spreadsheet("변경")
    start = _drive(server, "GET", "changes/startPageToken").json()
    assert start["kind"] == "drive#startPageToken"
    idle = _drive(server, "GET", "changes", params={"pageToken": start["startPageToken"]}).json()
    assert idle == {"kind": "drive#changeList", "newStartPageToken": start["startPageToken"], "changes": []}
    client.open_by_key(key).sheet1.update_acell("A1", "x")
    changed = _drive(server, "GET", "changes", params={"pageToken": start["startPageToken"]}).json()
    assert [c["fileId"] for c in changed["changes"]] == [key]
    assert changed["changes"][0]["removed"] is False
    assert changed["changes"][0]["file"]["name"] == "변경"
    client.del_spreadsheet(key)
    after = _drive(server, "GET", "changes", params={"pageToken": changed["newStartPageToken"]}).json()
    assert [(c["fileId"], c["removed"]) for c in after["changes"]] == [(key, True)]
    missing = _drive(server, "GET", "changes")
    assert missing.status_code == 400
    assert missing.json()["error"]["errors"][0]["location"] == "pageToken"


# ----- quotas -----


def _expected_quota(google_errors: dict[str, Any], *, write: bool, per_user: bool, limit: int) -> Any:
    """Google's recorded per-user read body, re-worded for the other three buckets."""
    text = json.dumps(google_errors["sheets_429_read_quota_per_user"]["body"])
    text = text.replace('"quota_limit_value": "60"', f'"quota_limit_value": "{limit}"')
    if not per_user:
        text = text.replace("per minute per user", "per minute").replace(
            "PerMinutePerUser", "PerMinutePerProject"
        )
        text = text.replace("1/min/{project}/{user}", "1/min/{project}")
    if write:
        text = text.replace("'Read requests", "'Write requests").replace("ReadRequests", "WriteRequests")
        text = text.replace("read_requests", "write_requests")
    return json.loads(text)


def _spend(url: str, token: str, count: int, *, write: bool) -> list[requests.Response]:
    headers = {"Authorization": f"Bearer {token}"}
    if write:
        return [requests.post(url + ":clear", headers=headers, timeout=5) for _ in range(count)]
    return [requests.get(url, headers=headers, timeout=5) for _ in range(count)]


@pytest.mark.parametrize("write", [False, True])
def test_per_user_quota(google_errors: dict[str, Any], write: bool) -> None:
    with EmulatorServer(Emulator(quota=QuotaLimits(read_per_user=5, write_per_user=5))) as server:
        key = server.emulator.create_spreadsheet("q")
        url = f"{server.url}/v4/spreadsheets/{key}/values/Sheet1!A1"
        allowed = _spend(url, "alice", 5, write=write)
        refused = _spend(url, "alice", 1, write=write)[0]
        other_user = _spend(url, "bob", 1, write=write)[0]
    assert [r.status_code for r in allowed] == [200] * 5
    assert refused.status_code == 429
    assert refused.json() == _expected_quota(google_errors, write=write, per_user=True, limit=5)
    assert other_user.status_code == 200


@pytest.mark.parametrize("write", [False, True])
def test_per_project_quota(google_errors: dict[str, Any], write: bool) -> None:
    limits = QuotaLimits(read_per_project=4, write_per_project=4)
    with EmulatorServer(Emulator(quota=limits)) as server:
        key = server.emulator.create_spreadsheet("q")
        url = f"{server.url}/v4/spreadsheets/{key}/values/Sheet1!A1"
        allowed = [_spend(url, f"user{n}", 1, write=write)[0] for n in range(4)]
        refused = _spend(url, "user9", 1, write=write)[0]
        other_kind = _spend(url, "user9", 1, write=not write)[0]
    assert [r.status_code for r in allowed] == [200] * 4
    assert refused.status_code == 429
    assert refused.json() == _expected_quota(google_errors, write=write, per_user=False, limit=4)
    assert other_kind.status_code == 200


def test_recorded_per_user_read_body_word_for_word(google_errors: dict[str, Any]) -> None:
    with EmulatorServer(Emulator(quota=QuotaLimits(read_per_user=60))) as server:
        key = server.emulator.create_spreadsheet("q")
        url = f"{server.url}/v4/spreadsheets/{key}"
        _spend(url, "reader", 60, write=False)
        refused = _spend(url, "reader", 1, write=False)[0]
    recorded = google_errors["sheets_429_read_quota_per_user"]
    assert (refused.status_code, refused.json()) == (recorded["status"], recorded["body"])


# ----- 400 / 403 / 404 bodies -----


def test_error_bodies_match_google(server: EmulatorServer, google_errors: dict[str, Any]) -> None:
    key = server.emulator.create_spreadsheet("오류")
    private = server.emulator.create_spreadsheet("남의 것", restricted=True)
    base = f"{server.url}/v4/spreadsheets"
    cases = {
        "sheets_400_unable_to_parse_range": requests.get(
            f"{base}/{key}/values/NOPE!A5:F15", headers=AUTH, timeout=5
        ),
        "sheets_400_bad_field_mask": requests.get(
            f"{base}/{key}", params={"fields": "sheets.sheetProperties"}, headers=AUTH, timeout=5
        ),
        "sheets_404_spreadsheet_not_found": requests.get(
            f"{base}/1NoSuchSpreadsheet", headers=AUTH, timeout=5
        ),
        "sheets_403_permission_denied": requests.get(
            f"{base}/{private}", params={"includeGridData": "false"}, headers=AUTH, timeout=5
        ),
        "sheets_400_invalid_value_listvalue": requests.put(
            f"{base}/{key}/values/'Sheet1'!A1",
            params={"valueInputOption": "RAW"},
            json={"values": "X", "majorDimension": None},
            headers=AUTH,
            timeout=5,
        ),
        "sheets_400_batchupdate_invalid_request": requests.post(
            f"{base}/{key}:batchUpdate",
            json={
                "requests": [
                    {
                        "updateSheetProperties": {
                            "properties": {"sheetId": 0, "hidden": True},
                            "fields": "hidden",
                        }
                    }
                ]
            },
            headers=AUTH,
            timeout=5,
        ),
    }
    for name, answer in cases.items():
        recorded = google_errors[name]
        assert (answer.status_code, answer.json()) == (recorded["status"], recorded["body"]), name


def test_missing_token_is_401(server: EmulatorServer) -> None:
    key = server.emulator.create_spreadsheet("인증")
    answer = requests.get(f"{server.url}/v4/spreadsheets/{key}", timeout=5)
    assert answer.status_code == 401
    assert answer.json()["error"]["status"] == "UNAUTHENTICATED"
