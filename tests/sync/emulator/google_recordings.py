"""Where the recordings of real Google Sheets traffic are, and what to do when they are not.

They live in the workplace's `shared/fixtures/google-sheets/`, beside the project checkout and
never inside it. A checkout may sit one or more folders below that (CI clones main somewhere
of its own), so every ancestor's `shared/` is looked at; `GOOGLE_SHEETS_FIXTURES` overrides.
Absent, as on a user's machine, the tests that need them skip and say so; with `CI=true` they
fail instead, because in CI they must run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

_PROJECT_ROOT = Path(__file__).resolve().parents[3]
_RELATIVE = Path("shared") / "fixtures" / "google-sheets"


def _locate() -> Path | None:
    override = os.environ.get("GOOGLE_SHEETS_FIXTURES")
    if override:
        return Path(override)
    for folder in _PROJECT_ROOT.parents:
        if (folder / _RELATIVE).is_dir():
            return folder / _RELATIVE
    return None


FIXTURES: Path | None = _locate()


def fixtures_or_skip(what: str = "recorded Google traffic") -> Path:
    """The fixtures folder; skips (fails under CI=true) when it is missing."""
    if FIXTURES is not None and FIXTURES.is_dir():
        return FIXTURES
    where = FIXTURES or f"any {_RELATIVE} above {_PROJECT_ROOT}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} missing at {where} (required when CI=true)")
    pytest.skip(f"{what} not present at {where}")


def error_bodies_or_skip() -> dict[str, Any]:
    """Google's real error bodies (google_error_bodies.json)."""
    path = fixtures_or_skip("recorded Google error bodies") / "google_error_bodies.json"
    bodies: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return bodies
