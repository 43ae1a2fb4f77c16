"""`eduhub sync revert N [--dry-run]` as a person runs it, after real `eduhub sync --once` cycles."""

from __future__ import annotations

import os
from pathlib import Path

from models.school import School
from models.sync_cycle import SyncCycle
from sync.emulator import SAMPLE_KEY, EmulatorServer, QuotaLimits
from sync.emulator.seed import SAMPLE_TABS
from sync.google_transport import open_client
from tests.api.test_cli import _run
from tests.sync.conftest import add_school

ROOT = str(Path(__file__).resolve().parents[2])


async def test_revert_prints_one_line_per_change_then_refuses_a_second_time(db: str, tmp_path: Path) -> None:
    ids = [await add_school(code=f"75300{i}", name=f"학교{i}", students=100 + i) for i in range(2)]
    with EmulatorServer() as server:
        server.emulator.quota.limits = QuotaLimits(enabled=False)
        server.emulator.create_spreadsheet("하남 교육협력 현황", SAMPLE_TABS, key=SAMPLE_KEY)
        env = {
            **os.environ,
            "DATABASE_URL": db,
            "SHEETS_API_URL": server.url,
            "PYTHONPATH": ROOT,
        }
        first = _run(["sync", "--once"], env, tmp_path)
        assert first.returncode == 0, first.stdout + first.stderr
        staff = open_client(credentials_file=None, api_url=server.url).open_by_key(SAMPLE_KEY)
        staff.worksheet("학교").update([["1"], ["2"]], "F2:F3", raw=False)
        pasted = _run(["sync", "--once"], env, tmp_path)
        assert pasted.returncode == 0, pasted.stdout + pasted.stderr
        cycle = await SyncCycle.filter(to_database__gt=0).order_by("-id").first()
        assert cycle is not None

        preview = _run(["sync", "revert", str(cycle.pk), "--dry-run"], env, tmp_path)
        assert preview.returncode == 0, preview.stderr
        assert preview.stdout.splitlines() == [
            f"되돌림  학교 ID {ids[0]} 학생수: 1 → 100",
            f"되돌림  학교 ID {ids[1]} 학생수: 2 → 101",
            f"동기화 #{cycle.pk} 되돌리기 미리보기: 2건을 되돌리고 0건은 충돌로 남깁니다. "
            "아무것도 쓰지 않았습니다.",
        ]
        assert [s.students for s in await School.all().order_by("id")] == [1, 2]

        done = _run(["sync", "revert", str(cycle.pk)], env, tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1].startswith(f"동기화 #{cycle.pk} 되돌림: 2건 되돌림, 0건 충돌")
        assert [s.students for s in await School.all().order_by("id")] == [100, 101]

        again = _run(["sync", "revert", str(cycle.pk)], env, tmp_path)
        assert again.returncode == 1 and "Traceback" not in again.stderr
        (line,) = again.stderr.strip().splitlines()
        assert line.startswith("error: ") and "이미 되돌렸습니다" in line

        unknown = _run(["sync", "revert", "99999"], env, tmp_path)
        assert unknown.returncode == 1
        assert unknown.stderr.strip().splitlines() == ["error: 동기화 기록 #99999을(를) 찾을 수 없습니다."]

        after = _run(["sync", "--once"], env, tmp_path)
        assert after.returncode == 0 and after.stdout.startswith(f"sync {SAMPLE_KEY}: succeeded")
        assert [row[5] for row in server.emulator.values(SAMPLE_KEY, "'학교'")[1:3]] == ["100", "101"]


def test_sync_without_once_still_says_how(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite://{tmp_path / 'x.sqlite3'}"}
    env["PYTHONPATH"] = ROOT
    result = _run(["sync"], env, tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "error: use `eduhub sync --once` for one cycle, or `eduhub worker` for the loop"
    )
