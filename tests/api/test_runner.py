"""The offline demo end to end: `eduhub serve` with its emulator; a sheet edit reaches GraphQL
and a mutation reaches the sheet, through real processes, gspread and HTTP."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.runner import server_config
from api.settings import Settings
from logs.setup import configure
from sync.emulator.seed import SAMPLE_KEY
from sync.emulator.server import free_port
from sync.google_transport import open_client

EDUHUB = [sys.executable, "-c", "from api.cli import main; main()"]
WAIT_SECONDS = 60


def _eventually(check: Callable[[], Any], what: str) -> Any:
    """Poll until `check` returns something truthy; the demo's worker syncs every second."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[dict[str, str]]:
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "DATABASE_URL": f"sqlite://{tmp_path / 'demo.sqlite3'}",
        "EMULATOR_PORT": str(free_port()),
        "EMULATOR_PERSIST_PATH": str(tmp_path / "emulator.json"),
        "SYNC_INTERVAL_SECONDS": "1",
    }
    env.pop("SHEETS_API_URL", None)
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    token = (
        subprocess.run(
            [*EDUHUB, "token", "create", "--role", "staff", "--name", "하남시 담당자"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    server = subprocess.Popen(
        [*EDUHUB, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}"
    try:
        _eventually(lambda: _healthy(api), "the API answers /healthz")
        yield {"api": api, "emulator": f"http://127.0.0.1:{env['EMULATOR_PORT']}", "token": token}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _school_name(api: str, code: str) -> str | None:
    query = "query($code: String!) { school(code: $code) { name } }"
    body = httpx.post(f"{api}/graphql", json={"query": query, "variables": {"code": code}}, timeout=10).json()
    school = body["data"]["school"]
    return school["name"] if school else None


def test_a_sheet_edit_reaches_graphql_and_a_mutation_reaches_the_sheet(demo: dict[str, str]) -> None:
    tab = (
        open_client(credentials_file=None, api_url=demo["emulator"]).open_by_key(SAMPLE_KEY).worksheet("학교")
    )
    # The first cycle writes the sample (seeded into the database) out to the empty sheet.
    rows = _eventually(lambda: tab.get_all_values()[1:], "the sample reaches the sheet")
    header = tab.row_values(1)
    code_column, name_column = header.index("학교코드"), header.index("학교명")
    row_number, code = 2, rows[0][code_column]
    tab.update_cell(row_number, name_column + 1, "하남초등학교(시트 수정)")
    _eventually(lambda: _school_name(demo["api"], code) == "하남초등학교(시트 수정)", "the edit in GraphQL")

    # The in-process worker's cycles are on the app's own /metrics.
    def sheet_changes_counted() -> bool:
        families = text_string_to_metric_families(httpx.get(f"{demo['api']}/metrics", timeout=10).text)
        return any(
            sample.name == "eduhub_sync_changes_total" and sample.labels["kind"] == "sheet->db"
            for family in families
            for sample in family.samples
        )

    _eventually(sheet_changes_counted, "the worker's metrics on /metrics")

    mutation = """mutation($input: SchoolUpdateInput!) {
      schoolUpdate(input: $input) { userErrors { message } } }"""
    school_id = httpx.post(
        f"{demo['api']}/graphql",
        json={"query": "query($c: String!) { school(code: $c) { id } }", "variables": {"c": code}},
        timeout=10,
    ).json()["data"]["school"]["id"]
    result = httpx.post(
        f"{demo['api']}/graphql",
        json={"query": mutation, "variables": {"input": {"id": school_id, "students": 1234}}},
        headers={"Authorization": f"Bearer {demo['token']}"},
        timeout=10,
    ).json()
    assert result["data"]["schoolUpdate"]["userErrors"] == [], result
    students_column = header.index("학생수") + 1

    def students_in_sheet() -> bool:
        for values in tab.get_all_values()[1:]:
            if values[code_column] == code:
                return values[students_column - 1] in ("1234", "1,234")
        return False

    _eventually(students_in_sheet, "the mutation in the sheet")


@pytest.mark.parametrize(("level", "logged"), [("INFO", True), ("DEBUG", True), ("WARNING", False)])
def test_access_lines_are_formatted_only_under_a_level_that_shows_them(level: str, logged: bool) -> None:
    root = logging.getLogger()
    kept_level, kept_handlers = root.level, root.handlers[:]
    configure(level, "text")
    try:
        config = server_config(object(), Settings(_env_file=None), host="127.0.0.1", port=0)
        assert config.access_log is logged
    finally:
        root.handlers[:] = kept_handlers
        root.setLevel(kept_level)


def test_the_demo_server_names_no_server_software_and_dates_its_answers(demo: dict[str, str]) -> None:
    response = httpx.get(f"{demo['api']}/livez", timeout=10)
    assert response.status_code == 200
    assert "server" not in response.headers  # no `server: uvicorn` banner
    assert response.headers["date"].endswith(" GMT")  # HTTP's Date stays
