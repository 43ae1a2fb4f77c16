"""`eduhub report budget-summary` as a person runs it: a real process on the test's database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from models.enums import Role
from models.services import tokens
from tests.api.reports.report_kit import build_report_world, read_report

EDUHUB = [sys.executable, "-c", "from api.cli import main; main()"]
ROOT = Path(__file__).resolve().parents[3]


def _eduhub(args: list[str], db: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {name: value for name, value in os.environ.items() if name != "EDUHUB_TOKEN"}
    environment = {**inherited, "DATABASE_URL": db, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [*EDUHUB, "report", "budget-summary", *args],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _workbooks_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xlsx"))


async def test_the_cli_writes_the_workbook(db: str, tmp_path: Path) -> None:
    await build_report_world()
    _, secret = await tokens.create(name="교육지원청 담당자", role=Role.PARTNER)
    out = tmp_path / "보고서" / "예산.xlsx"
    result = _eduhub(
        ["--group-by", "PROGRAM", "--unit", "천원", "--filter", "fiscalYears=2025", "--out", str(out)],
        db,
        tmp_path,
        EDUHUB_TOKEN=secret,
    )
    assert result.returncode == 0, result.stderr
    assert f"report written: {out}" in result.stdout
    report = read_report(out.read_bytes())
    assert report.header[:4] == ["사업코드", "사업명", "배정액(천원)", "집행액(천원)"]
    assert [row[0] for row in report.rows] == ["RP-SHARED", "RP-TOUR"]  # 2026's program left out
    assert report.total[2] == 13_235  # (1,234,500 + 2,000,499 + 10,000,000)원, half up
    assert report.facts["조회 권한"] == "파트너 토큰 · 교육지원청 담당자"
    assert report.facts["조건"] == "연도: 2025"


async def test_without_out_the_file_takes_its_korean_name_here(db: str, tmp_path: Path) -> None:
    await build_report_world()
    result = _eduhub(["--group-by", "FUNDER"], db, tmp_path)
    assert result.returncode == 0, result.stderr
    [written] = _workbooks_in(tmp_path)
    assert written.name.startswith("예산집계_재원_원_")
    assert read_report(written.read_bytes()).facts["조회 권한"].startswith("공개")


async def test_bad_input_is_one_korean_line_and_no_file(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "reports"  # the SQLite file lives in tmp_path itself
    folder.mkdir()
    out = folder / "x.xlsx"
    cases = [
        (["--group-by", "PROGRAM,COLOUR"], "알 수 없는 집계 기준입니다: COLOUR"),
        (["--unit", "백만원"], "'원' 또는 '천원'"),
        (["--filter", "fiscalYears"], "'이름=값' 형식"),
        (["--token", "ehub_wrong"], "토큰이 올바르지 않거나 폐기되었습니다."),
    ]
    for args, says in cases:
        result = _eduhub([*args, "--out", str(out)], db, folder)
        assert result.returncode == 1, (args, result.stdout)
        assert result.stderr.startswith("error: ") and says in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert list(folder.iterdir()) == []  # not even a partial file
