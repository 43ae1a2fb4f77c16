"""`eduhub emulator` as a tool on its own: quota, latency and faults from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from sync.emulator import SAMPLE_KEY
from sync.emulator.server import free_port

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Bearer anything"}


@contextmanager
def emulator_process(*flags: str) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-c", "from api.cli import main; main()", "emulator", "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # uvicorn logs every request: a pipe nobody reads would fill, a file does not.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([*command, "--seed", "sample", *flags], env=env, stderr=log)
        try:
            yield _started(process, f"http://127.0.0.1:{port}")
        finally:
            process.terminate()
            process.wait(timeout=10)


def _started(process: subprocess.Popen[bytes], url: str) -> str:
    """``url`` once the emulator answers there."""
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{url}/__emulator/log", timeout=1)
            return url
        except requests.ConnectionError:
            assert process.poll() is None, "the emulator exited"
            assert time.monotonic() < deadline, "the emulator did not start"
            time.sleep(0.1)


def _get(url: str) -> requests.Response:
    return requests.get(f"{url}/v4/spreadsheets/{SAMPLE_KEY}", headers=AUTH, timeout=10)


def test_faults_latency_and_a_small_quota_from_the_command_line() -> None:
    flags = ["--quota", "3", "--latency", "300", "--fault", "error,count=1,status=500"]
    with emulator_process(*flags) as url:
        first = _get(url)
        assert first.status_code == 500
        assert first.json()["error"]["status"] == "INTERNAL"  # Google's body, not a bare 500
        second = _get(url)
        assert second.status_code == 200 and second.elapsed.total_seconds() >= 0.3
        statuses = [_get(url).status_code for _ in range(3)]
    assert 429 in statuses  # three reads a minute: the fourth or fifth is refused as Google does


def test_quota_off_lets_a_test_suite_read_more_than_google_allows() -> None:
    with emulator_process("--quota", "off") as url:
        statuses = {_get(url).status_code for _ in range(70)}  # Google allows 60 a minute
    assert statuses == {200}
