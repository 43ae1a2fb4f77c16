"""`eduhub budget close-year` as a person runs it: a real process, a real SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

EDUHUB = [sys.executable, "-c", "from api.cli import main; main()"]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EDUHUB, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180)


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[dict[str, str], Path]:
    root = Path(__file__).resolve().parents[2]
    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite://{database}", "PYTHONPATH": str(root), "COLUMNS": "160"}
    assert _run(["seed"], env, tmp_path).returncode == 0
    return env, database


def _counts(database: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(database) as connection:
        return (
            connection.execute("SELECT COUNT(*) FROM budget_line").fetchone()[0],
            connection.execute("SELECT COUNT(*) FROM change_event").fetchone()[0],
            connection.execute("SELECT COUNT(*) FROM fiscal_year_closing").fetchone()[0],
            connection.execute("SELECT COUNT(*) FROM budget_line WHERE stage = 'SETTLED'").fetchone()[0],
        )


def test_dry_run_prints_the_plan_and_writes_nothing(
    seeded: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, database = seeded
    before = _counts(database)
    result = _run(["budget", "close-year", "2025", "--dry-run"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert _counts(database) == before
    out = result.stdout
    for header in ("사업코드", "재원", "예산현액", "집행액", "이월액", "불용액", "2026년도 예산"):
        assert header in out
    assert "새로 만듦" in out and "하남시" in out
    assert "2025년도 마감 미리보기" in out and "아무것도 쓰지 않았습니다" in out
    with sqlite3.connect(database) as connection:
        open_lines, carried = connection.execute(
            "SELECT COUNT(*), SUM(carried_out) FROM budget_line "
            "WHERE fiscal_year = 2025 AND stage != 'SETTLED' AND archived_at IS NULL"
        ).fetchone()
    assert f"예산 {open_lines}건 정산" in out and f"이월 {carried:,}원" in out


def test_close_year_settles_once_and_refuses_the_second_time(
    seeded: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, database = seeded
    lines, _, _, settled = _counts(database)
    plan = _run(["budget", "close-year", "2025", "--dry-run"], env, tmp_path).stdout
    result = _run(["budget", "close-year", "2025"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2025년도 마감 완료" in result.stdout
    # The dry run said exactly this (its summary line, but for its wording).
    assert plan.splitlines()[-1].split(": ", 1)[1].split(". ")[0] in result.stdout
    with sqlite3.connect(database) as connection:
        open_lines = connection.execute(
            "SELECT COUNT(*) FROM budget_line "
            "WHERE fiscal_year = 2025 AND stage != 'SETTLED' AND archived_at IS NULL"
        ).fetchone()
        assert open_lines == (0,)
        created, carried_in = connection.execute(
            "SELECT COUNT(*), SUM(carried_in) FROM budget_line WHERE note = '2025년도 이월'"
        ).fetchone()
        carried_out = connection.execute(
            "SELECT SUM(carried_out) FROM budget_line WHERE fiscal_year = 2025"
        ).fetchone()[0]
        assert carried_in == carried_out > 0
        closing = connection.execute(
            "SELECT lines_settled, lines_created FROM fiscal_year_closing"
        ).fetchone()
    assert closing[1] == created and closing[0] > 0
    after = _counts(database)
    assert after[0] == lines + created and after[2] == 1 and after[3] > settled

    again = _run(["budget", "close-year", "2025"], env, tmp_path)
    assert again.returncode == 1
    assert again.stderr.startswith("error: 2025년도는 이미 마감되었습니다")
    assert "Traceback" not in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert _counts(database) == after
    dry = _run(["budget", "close-year", "2025", "--dry-run"], env, tmp_path)
    assert dry.returncode == 1 and "이미 마감" in dry.stderr


def test_a_year_with_nothing_to_settle_closes_with_a_clear_summary(
    seeded: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, database = seeded
    result = _run(["budget", "close-year", "2024"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2024년도 마감 완료: 예산 0건 정산" in result.stdout
    assert _counts(database)[2] == 1
