"""LOG_FORMAT=json: one JSON object per line, with the request id; text stays for people."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from logs.request_id import bound
from logs.setup import configure


@pytest.fixture(autouse=True)
def restore_root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_level_logger_message_and_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure("INFO", "json")
    with bound("hook-7f3a"):
        logging.getLogger("sync.worker").warning("학교 탭: %d개 행", 3)
    logging.getLogger("api").info("no request")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "sync.worker"
    assert lines[0]["message"] == "학교 탭: 3개 행" and lines[0]["request_id"] == "hook-7f3a"
    assert lines[1]["request_id"] is None and "time" in lines[1]


def test_text_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    configure("INFO")
    logging.getLogger("api").info("plain")
    line = capsys.readouterr().err.strip()
    assert line.endswith("INFO api: plain")


def test_uvicorn_loggers_follow_the_configured_level_again() -> None:
    access = logging.getLogger("uvicorn.access")
    access.setLevel(logging.WARNING)  # what an earlier uvicorn.Config(log_level="warning") leaves
    try:
        configure("INFO")
        assert access.isEnabledFor(logging.INFO)
        configure("WARNING")
        assert not access.isEnabledFor(logging.INFO)
    finally:
        access.setLevel(logging.NOTSET)
