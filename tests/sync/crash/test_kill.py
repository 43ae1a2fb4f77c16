"""kill -9 of a real ``eduhub sync --once`` process at the dangerous points, then convergence.

The worker runs as its own process against this test's database (SQLite file or PostgreSQL)
and the threaded emulator. A hold rule stops one request at a chosen stage; once the emulator
reports it held, the process gets SIGKILL: no ``finally``, no lease release, no rollback
beyond what the database does for a dead connection. A normal cycle afterwards must converge.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_cycle import ABANDONED, LEFT_RUNNING, RUNNING, SyncCycle
from models.sync_state import SyncedRow, SyncLease
from sync.emulator import SAMPLE_KEY
from sync.emulator.faults import FaultStage
from sync.worker import lease_name
from tests.sync.conftest import World, add_school

EDUHUB = str(Path(sys.executable).with_name("eduhub"))
READ = "sheets.spreadsheets.get"
VALUES_WRITE = "sheets.spreadsheets.values.batchUpdateByDataFilter"
STRUCTURE_WRITE = "sheets.spreadsheets.batchUpdate"


def _env(world: World, db: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": db, "SHEETS_API_URL": world.server.url, "LOG_LEVEL": "WARNING"}
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "SYNC_MAPPING_FILE", "SYNC_INTERVAL_SECONDS"):
        env.pop(name, None)
    return env


async def _sync_once(world: World, db: str, cwd: Path) -> tuple[int, str]:
    """``eduhub sync --once`` to the end: its exit code and output."""
    process = await _start(world, db, cwd, asyncio.subprocess.PIPE)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def _start(world: World, db: str, cwd: Path, sink: Any) -> asyncio.subprocess.Process:
    # cwd: a folder without a .env, so the environment above is all the worker sees.
    return await asyncio.create_subprocess_exec(
        EDUHUB, "sync", "--once", env=_env(world, db), cwd=cwd, stdout=sink, stderr=asyncio.subprocess.STDOUT
    )


async def _kill_when_held(world: World, db: str, cwd: Path, method: str, stage: FaultStage) -> None:
    """Start a worker process, wait until ``method`` is held at ``stage``, SIGKILL it."""
    world.emulator.faults.inject("hold", count=1, method=method, stage=stage)
    log = cwd / "worker.log"
    with log.open("w") as sink:
        process = await _start(world, db, cwd, sink)
    try:
        for _ in range(1200):  # bounded: interpreter start, migrations check, read, merge
            if world.emulator.faults.holding(method) or process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert world.emulator.faults.holding(method) == 1, f"never held:\n{log.read_text()}"
        process.send_signal(signal.SIGKILL)
        assert await asyncio.wait_for(process.wait(), timeout=30) == -signal.SIGKILL
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        # Drops the held request: one held before is never applied, one held after already was.
        world.emulator.faults.clear()
    for _ in range(200):
        if not world.emulator.faults.holding():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the held request never ended")


def _sheet_rows(world: World) -> list[list[Any]]:
    return [row for row in world.rows("학교")[1:] if any(str(cell) for cell in row)]


async def _world_with_edits_on_both_sides(world: World) -> tuple[int, int]:
    """Two synced schools, then: staff change one's 학생수 and add a row; the API renames the
    other and creates a third."""
    first = await add_school("7530001", "미사초등학교", 500)
    second = await add_school("7530003", "위례중학교", 600)
    await world.settle()
    row = next(i for i, r in enumerate(world.rows("학교"), start=1) if str(r[0]) == str(first))
    world.tab("학교").update([["321"]], f"F{row}", raw=False)
    world.tab("학교").update([["", "7530002", "새학교", "중학교", "위례", "10"]], "A4", raw=False)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=second), {"name": "바뀐이름"})
    await add_school("7530004", "감일초등학교", 700)
    return first, second


async def _assert_converged(world: World, first: int, second: int) -> None:
    rows = _sheet_rows(world)
    ids = [str(r[0]) for r in rows]
    assert "" not in ids and len(ids) == len(set(ids)), rows  # every row has one ID, none twice
    records = {str(s.pk): s for s in await School.all()}
    assert sorted(s.code for s in records.values()) == ["7530001", "7530002", "7530003", "7530004"]
    assert set(ids) == set(records), (rows, records)
    for row in rows:
        school = records[str(row[0])]
        assert [str(row[1]), row[2], str(row[5])] == [school.code, school.name, str(school.students)]
    assert (await School.get(id=first)).students == 321  # the staff edit
    assert (await School.get(id=second)).name == "바뀐이름"  # the API edit
    assert (await School.get(code="7530002")).name == "새학교"  # the staff-added row
    assert await SyncedRow.filter(tab="학교").count() == 4


@pytest.mark.parametrize(
    ("method", "stage"),
    [
        pytest.param(READ, "after", id="after-read-before-db-commit"),
        pytest.param(VALUES_WRITE, "before", id="db-committed-before-sheet-write"),
        pytest.param(VALUES_WRITE, "after", id="cells-written-before-structure"),
        pytest.param(STRUCTURE_WRITE, "before", id="cells-written-rows-not-appended"),
        pytest.param(STRUCTURE_WRITE, "after", id="all-written-answer-lost"),
    ],
)
async def test_kill_9_then_a_normal_cycle_converges(
    world: World, db: str, tmp_path: Path, method: str, stage: FaultStage
) -> None:
    first, second = await _world_with_edits_on_both_sides(world)
    sheet_before = _sheet_rows(world)
    await _kill_when_held(world, db, tmp_path, method, stage)

    committed = (await School.get(id=first)).students == 321
    assert committed == (method != READ)  # one transaction, before any sheet write
    if method == READ or (method, stage) == (VALUES_WRITE, "before"):
        assert _sheet_rows(world) == sheet_before  # nothing written to the sheet
    else:
        assert "바뀐이름" in [r[2] for r in _sheet_rows(world)]  # the cell write landed
    appended = "감일초등학교" in [r[2] for r in _sheet_rows(world)]
    assert appended == ((method, stage) == (STRUCTURE_WRITE, "after"))

    # Its cycle row stays RUNNING (it began just before the transaction) until the next holder ends it.
    left = await SyncCycle.filter(outcome=RUNNING).values_list("id", flat=True)
    assert len(left) == (0 if method == READ else 1)
    # The dead process still holds the lease: a second worker stays out until it expires.
    code, output = await _sync_once(world, db, tmp_path)
    assert code == 1 and "lease" in output, output
    await SyncLease.filter(name=lease_name(SAMPLE_KEY)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    code, output = await _sync_once(world, db, tmp_path)
    assert code == 0, output
    for cycle in await SyncCycle.filter(id__in=left):
        assert (cycle.outcome, cycle.error, cycle.to_database) == (ABANDONED, LEFT_RUNNING, 1)
    await world.settle()
    await _assert_converged(world, first, second)
