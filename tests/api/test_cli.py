"""The `eduhub` command as a person runs it: a real process, a real SQLite file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sync.emulator import SAMPLE_KEY, EmulatorServer
from sync.emulator.seed import SAMPLE_TABS
from sync.emulator.server import free_port

EDUHUB = [sys.executable, "-c", "from api.cli import main; main()"]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EDUHUB, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    root = Path(__file__).resolve().parents[2]
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(root),
    }


def test_token_create_prints_the_secret_alone_on_the_last_line(env: dict[str, str], tmp_path: Path) -> None:
    result = _run(["token", "create", "--role", "partner", "--name", "광주하남교육지원청"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("ehub_") and " " not in last


def test_a_bad_role_is_refused_without_a_traceback(env: dict[str, str], tmp_path: Path) -> None:
    result = _run(["token", "create", "--role", "root", "--name", "x"], env, tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_seed_loads_the_sample_once(env: dict[str, str], tmp_path: Path) -> None:
    first = _run(["seed"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "40 schools" in first.stdout
    second = _run(["seed"], env, tmp_path)
    assert "already has data" in second.stdout


def test_an_unusable_database_url_is_one_clear_line(env: dict[str, str], tmp_path: Path) -> None:
    result = _run(["migrate"], {**env, "DATABASE_URL": "mysqlx://nowhere/db"}, tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("taken", ["api", "emulator"])
def test_a_port_in_use_is_one_clear_line(env: dict[str, str], tmp_path: Path, taken: str) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        api_port = busy if taken == "api" else free_port()
        run_env = {**env, "EMULATOR_PORT": str(busy if taken == "emulator" else free_port())}
        run_env["EMULATOR_PERSIST_PATH"] = str(tmp_path / "emulator.json")
        result = _run(["serve", "--port", str(api_port)], run_env, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: 127.0.0.1:{busy} is already in use; stop the other process or choose another port "
        f"({'--port' if taken == 'api' else 'EMULATOR_PORT'})"
    )


def test_schema_print_prints_the_committed_schema_file(env: dict[str, str], tmp_path: Path) -> None:
    result = _run(["schema", "print"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    committed = Path(__file__).resolve().parents[2] / "schema.graphql"
    assert result.stdout == committed.read_text(encoding="utf-8")
    assert "type Query {" in result.stdout


@pytest.mark.parametrize("url", ["mysql://root@localhost/eduhub", "redis://localhost/0", "eduhub.sqlite3"])
def test_an_unsupported_database_scheme_names_the_supported_ones(
    env: dict[str, str], tmp_path: Path, url: str
) -> None:
    result = _run(["migrate"], {**env, "DATABASE_URL": url}, tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: invalid settings: database_url: unsupported scheme {url.split('://')[0]!r}; "
        "use sqlite://PATH or postgresql://USER@HOST:PORT/NAME"
    ]


def test_a_spreadsheet_not_shared_with_the_account_says_so_without_a_traceback(
    env: dict[str, str], tmp_path: Path
) -> None:
    with EmulatorServer() as server:
        # Restricted: Google's answers for a file the service account cannot see (Drive: 404).
        server.emulator.create_spreadsheet("남의 시트", SAMPLE_TABS, key=SAMPLE_KEY, restricted=True)
        result = _run(["sync", "--once"], {**env, "SHEETS_API_URL": server.url}, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"spreadsheet {SAMPLE_KEY} is not shared with" in result.stdout
    assert "as an editor" in result.stdout
