"""429s, 5xx and drops back off and never count as success; a crash anywhere converges."""

from __future__ import annotations

from typing import Any

from models.actor import SYSTEM_ACTOR
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_state import SyncCursor, SyncedRow
from sync.gateway.gspread import GspreadGateway
from tests.sync.conftest import World, add_school


class Killed(BaseException):
    """Stands in for kill -9: not an Exception, so nothing in the worker catches it."""


class CrashingGateway(GspreadGateway):
    """The real gateway, dying right after (or right before) one kind of call."""

    def __init__(self, base: GspreadGateway, *, after: str | None = None, before: str | None = None) -> None:
        super().__init__(base.client, bucket=base.bucket, retry=base.retry)
        self.after, self.before = after, before

    async def values_batch_update(self, key: str, data: list[dict[str, Any]]) -> None:
        if self.before == "values":
            raise Killed
        await super().values_batch_update(key, data)
        if self.after == "values":
            raise Killed

    async def batch_update(self, key: str, requests: list[dict[str, Any]]) -> None:
        if self.before == "structure":
            raise Killed
        await super().batch_update(key, requests)


async def test_transient_429_and_503_are_retried(world: World) -> None:
    await add_school()
    world.emulator.faults.inject("quota", count=2, method="sheets.spreadsheets.values.batchGet")
    world.emulator.faults.inject(
        "error", count=1, status=503, method="sheets.spreadsheets.values.batchUpdate"
    )
    world.emulator.faults.inject("drop", count=1, method="drive.files.get")
    report = await world.cycle()
    assert report.api_calls["values.batchGet"] == 3
    assert report.counts["appended"] == 1
    assert world.rows("학교")[1][1] == "7530001"


async def test_a_cycle_that_cannot_finish_is_reported_failed_and_changes_nothing(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    world.tab("학교").update([["777"]], "F2", raw=False)
    world.emulator.faults.inject("error", status=500, method="sheets.spreadsheets.values.batchGet")
    report = await world.cycle(ok=False)
    assert not report.succeeded and "batchGet" in (report.error or "")
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


async def test_crash_between_sheet_write_and_database_commit_converges(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    world.tab("학교").update([["", "7530002", "새학교", "중학교", "위례", "10"]], "A3", raw=False)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=school_id), {"name": "바뀐이름"})
    await _crash(world, after="values")
    assert world.rows("학교")[1][2] == "바뀐이름"  # the sheet write landed
    assert await School.filter(code="7530002").count() == 0  # the transaction did not
    await world.cycle()
    await world.settle()
    assert await School.all().count() == 2
    assert (await School.get(id=school_id)).name == "바뀐이름"
    assert sorted(r[0] for r in world.rows("학교")[1:]) == sorted(str(s.pk) for s in await School.all())


async def test_crash_after_database_commit_before_ids_are_written_never_duplicates(world: World) -> None:
    await world.settle()
    world.tab("학교").update([["", "7530002", "새학교", "중학교", "위례", "10"]], "A2", raw=False)
    await _crash(world, before="structure")
    assert await School.all().count() == 1
    assert world.rows("학교")[1][0] == ""  # the ID write was lost
    await world.cycle()
    await world.settle()
    school = await School.get()
    assert await School.all().count() == 1
    assert world.rows("학교")[1][0] == str(school.pk)
    assert await SyncedRow.all().count() == 1


async def test_crash_before_any_write_converges(world: World) -> None:
    await add_school()
    await _crash(world, before="values")
    await world.cycle()
    await world.settle()
    assert len(world.rows("학교")) == 2
