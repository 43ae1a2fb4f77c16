"""429s, 5xx and drops back off and never count as success; a crash anywhere converges."""

from __future__ import annotations

from typing import Any

from models.actor import SYSTEM_ACTOR
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_state import SyncConflict, SyncCursor, SyncedRow
from sync.gateway.gspread import GspreadGateway
from sync.grid import TabGrid
from tests.sync.conftest import World, add_school


class Killed(BaseException):
    """Stands in for kill -9: not an Exception, so nothing in the worker catches it."""


class CrashingGateway(GspreadGateway):
    """The real gateway, dying right after (or right before) one kind of call."""

    def __init__(self, base: GspreadGateway, *, after: str | None = None, before: str | None = None) -> None:
        super().__init__(base.client, bucket=base.bucket, retry=base.retry)
        self.after, self.before = after, before

    async def read(self, key: str, titles: list[str]) -> list[TabGrid]:
        grids = await super().read(key, titles)
        if self.after == "read":
            raise Killed
        return grids

    async def write_values(self, key: str, data: list[dict[str, Any]]) -> None:
        if self.before == "values":
            raise Killed
        await super().write_values(key, data)
        if self.after == "values":
            raise Killed

    async def batch_update(self, key: str, requests: list[dict[str, Any]]) -> None:
        if self.before == "structure":
            raise Killed
        await super().batch_update(key, requests)
        if self.after == "structure":
            raise Killed


async def test_transient_429_and_503_are_retried(world: World) -> None:
    await add_school()
    world.emulator.faults.inject("quota", count=2, method="sheets.spreadsheets.get")
    world.emulator.faults.inject("quota", count=1, method="sheets.spreadsheets.batchUpdate")
    world.emulator.faults.inject("drop", count=1, method="drive.files.get")
    report = await world.cycle()
    assert report.api_calls["spreadsheets.get"] == 3
    assert report.api_calls["spreadsheets.batchUpdate"] == 2  # a 429 proves it was not applied
    assert report.counts["appended"] == 1
    assert world.rows("학교")[1][1] == "7530001"


async def test_an_ambiguous_failure_of_a_values_write_is_retried_it_is_idempotent(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=school_id), {"name": "바뀐이름"})
    method = "sheets.spreadsheets.values.batchUpdateByDataFilter"
    world.emulator.faults.inject("error", count=1, status=503, method=method, stage="after")
    report = await world.cycle()
    assert report.api_calls["values.batchUpdateByDataFilter"] == 2
    assert world.rows("학교")[1][2] == "바뀐이름"


async def test_an_ambiguous_failure_of_a_structure_write_is_not_resent(world: World) -> None:
    await add_school()
    world.emulator.faults.inject(
        "error", count=1, status=503, method="sheets.spreadsheets.batchUpdate", stage="after"
    )
    report = await world.cycle(ok=False)
    assert report.api_calls["spreadsheets.batchUpdate"] == 1
    assert "SheetWriteUncertain" in (report.error or "")
    await world.settle()
    assert [r[1] for r in world.rows("학교")[1:]] == ["7530001"]  # appended once, not twice


async def test_a_cycle_that_cannot_finish_is_reported_failed_and_changes_nothing(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    world.tab("학교").update([["777"]], "F2", raw=False)
    world.emulator.faults.inject("error", status=500, method="sheets.spreadsheets.get")
    report = await world.cycle(ok=False)
    assert not report.succeeded and "spreadsheets.get" in (report.error or "")
    assert "FAILED" in str(report)
    assert (await School.get(id=school_id)).students == 500
    assert (await SyncCursor.get()).last_error
    world.emulator.faults.clear()
    await world.cycle()
    assert (await School.get(id=school_id)).students == 777


async def test_an_idle_cycle_after_a_failed_change_check_clears_the_error(world: World) -> None:
    await add_school()
    await world.settle()
    world.emulator.faults.inject("error", status=500, method="drive.files.get")
    assert not (await world.cycle(ok=False)).succeeded
    assert (await SyncCursor.get()).last_error
    world.emulator.faults.clear()
    assert (await world.cycle()).idle
    assert (await SyncCursor.get()).last_error is None


async def _crash(world: World, **where: str) -> None:
    crashing = CrashingGateway(world.gateway, **where)
    from sync.cycle import run_cycle

    try:
        await run_cycle(crashing, world.sheet)
    except Killed:
        return
    raise AssertionError("the cycle did not reach the crash point")


async def _converged(world: World, codes: list[str]) -> None:
    await world.settle()
    rows = [r for r in world.rows("학교")[1:] if any(str(c) for c in r)]
    records = {str(s.pk): s.code for s in await School.filter(archived_at=None)}
    assert sorted(records.values()) == sorted(codes)
    assert sorted(str(r[0]) for r in rows) == sorted(records), rows
    assert all(records[str(r[0])] == str(r[1]) for r in rows), rows
    assert await SyncedRow.all().count() == len(codes)


async def test_crash_after_the_database_commit_redoes_the_sheet_write(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    world.tab("학교").update([["321"]], "F2", raw=False)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=school_id), {"name": "바뀐이름"})
    await _crash(world, before="values")
    assert (await School.get(id=school_id)).students == 321  # the transaction committed
    assert world.rows("학교")[1][2] == "미사초등학교"  # the sheet write did not land
    await _converged(world, ["7530001"])
    assert world.rows("학교")[1][2] == "바뀐이름"
    assert (await School.get(id=school_id)).name == "바뀐이름"
    assert await SyncConflict.all().count() == 0  # the old cell is not mistaken for a staff edit


async def test_crash_before_an_append_lands_appends_once_later(world: World) -> None:
    await world.settle()
    await add_school()
    world.tab("학교").update([["", "7530002", "새학교", "중학교", "위례", "10"]], "A2", raw=False)
    await _crash(world, before="structure")
    assert len(world.rows("학교")) == 2  # neither the append nor the new row's anchor landed
    await _converged(world, ["7530001", "7530002"])


async def test_crash_after_the_structure_write_converges(world: World) -> None:
    await world.settle()
    await add_school()
    world.tab("학교").update([["", "7530002", "새학교", "중학교", "위례", "10"]], "A2", raw=False)
    await _crash(world, after="structure")
    await _converged(world, ["7530001", "7530002"])


async def test_crash_after_the_read_converges(world: World) -> None:
    await add_school()
    await _crash(world, after="read")
    assert len(world.rows("학교")) == 1
    await _converged(world, ["7530001"])
