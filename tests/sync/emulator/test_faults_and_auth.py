"""Quotas, injected faults, the request log and service-account token refresh."""

from __future__ import annotations

import json
from pathlib import Path

import gspread
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sync.emulator import Emulator, EmulatorServer, QuotaLimits
from sync.errors import SheetsConfigurationError
from sync.google_transport import credential_name, open_client
from tests.sync.emulator.google_recordings import FIXTURES

# Compared word for word where the recordings are present; the status alone otherwise.
QUOTA_BODY = (
    json.loads((FIXTURES / "google_error_bodies.json").read_text(encoding="utf-8"))[
        "sheets_429_read_quota_per_user"
    ]["body"]
    if FIXTURES is not None and FIXTURES.is_dir()
    else None
)


def test_read_quota_answers_googles_429() -> None:
    with EmulatorServer(Emulator(quota=QuotaLimits(read_per_user=60))) as server:
        key = server.emulator.create_spreadsheet("q", {"Sheet1": [["a"]]})
        headers = {"Authorization": "Bearer t"}
        url = f"{server.url}/v4/spreadsheets/{key}/values/Sheet1"
        statuses = [requests.get(url, headers=headers, timeout=5).status_code for _ in range(60)]
        refused = requests.get(url, headers=headers, timeout=5)
    assert set(statuses) == {200}
    assert refused.status_code == 429
    body = refused.json()
    assert body["error"]["status"] == "RESOURCE_EXHAUSTED"
    if QUOTA_BODY is not None:
        assert body == QUOTA_BODY


def test_injected_errors_and_request_log(server: EmulatorServer, client: gspread.Client) -> None:
    key = server.emulator.create_spreadsheet("f", {"Sheet1": [["a"]]})
    server.emulator.faults.inject("error", count=1, status=503, method="sheets.spreadsheets.get")
    with pytest.raises(gspread.exceptions.APIError) as failure:
        client.open_by_key(key)
    assert failure.value.response.status_code == 503
    assert client.open_by_key(key).sheet1.acell("A1").value == "a"
    assert server.emulator.request_counts()["sheets.spreadsheets.get"] >= 2
    assert ("sheets.spreadsheets.get", "token:emulator", 503) in server.emulator.request_log


def test_dropped_connection_and_latency(server: EmulatorServer) -> None:
    key = server.emulator.create_spreadsheet("d")
    url = f"{server.url}/v4/spreadsheets/{key}"
    server.emulator.faults.inject("drop", count=1)
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.get(url, headers={"Authorization": "Bearer t"}, timeout=5).json()
    requests.post(
        f"{server.url}/__emulator/faults", json={"kind": "latency", "delay": 0.2, "count": 1}, timeout=5
    )
    answer = requests.get(url, headers={"Authorization": "Bearer t"}, timeout=5)
    assert answer.status_code == 200 and answer.elapsed.total_seconds() >= 0.2


def test_service_account_refreshes_through_the_emulator(server: EmulatorServer, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    credentials_file = tmp_path / "sa.json"
    credentials_file.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "eduhub-test",
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": "sync@eduhub-test.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    sheet_key = server.emulator.create_spreadsheet("sa", {"Sheet1": [["x"]]})
    client = open_client(credentials_file=str(credentials_file), api_url=server.url)
    assert client.open_by_key(sheet_key).sheet1.acell("A1").value == "x"
    users = {user for _, user, _ in server.emulator.request_log}
    assert "sync@eduhub-test.iam.gserviceaccount.com" in users
    # The worker's request budget is kept per credential: this service account's own row.
    assert credential_name(client) == "sync@eduhub-test.iam.gserviceaccount.com"
    assert credential_name(open_client(credentials_file=None, api_url=server.url)) == "default"


def test_open_client_without_configuration_is_a_clear_error() -> None:
    with pytest.raises(SheetsConfigurationError, match="SHEETS_API_URL"):
        open_client(credentials_file=None, api_url=None)


def test_html_page_edit_bumps_drive_version(server: EmulatorServer, client: gspread.Client) -> None:
    key = server.emulator.create_spreadsheet("페이지", {"학교": [["ID", "학교명"], ["1", "미사초"]]})
    version = server.emulator.store.get(key).version  # type: ignore[union-attr]
    assert "페이지" in requests.get(server.url + "/", timeout=5).text
    answer = requests.post(f"{server.url}/sheets/{key}/edit?tab=학교", data={"B2": "위례초"}, timeout=5)
    assert answer.status_code == 200
    assert client.open_by_key(key).worksheet("학교").acell("B2").value == "위례초"
    assert server.emulator.store.get(key).version > version  # type: ignore[union-attr]


def test_persistence_survives_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "store.json")
    key = Emulator(persist_path=path).create_spreadsheet("저장", {"학교": [["ID"], ["7"]]})
    assert Emulator(persist_path=path).values(key, "'학교'!A1:A2") == [["ID"], ["7"]]
