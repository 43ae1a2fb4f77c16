"""The lease while a cycle runs: kept past its TTL by background renewal; once lost, the cycle
writes nothing further, reports failure and ends its cycle row ABANDONED (the emulator holds a
request to stop it mid-cycle); a row a dead worker left RUNNING is ended by the next holder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from models import sync_cycle
from models.actor import SYSTEM_ACTOR, Actor
from models.enums import ActorKind, Role
from models.school import School
from models.services import schools
from models.services.cycle_revert import revert
from models.services.write_scope import write_scope
from models.sync_cycle import ABANDONED, SUCCEEDED, SyncCycle
from models.sync_state import SyncCursor, SyncLease
from sync import lease
from sync.emulator import SAMPLE_KEY
from sync.worker import cycle_with_lease, lease_name
from tests.sync.conftest import World, add_school, until

READ = "sheets.spreadsheets.get"
WRITES = ("sheets.spreadsheets.values.batchUpdateByDataFilter", "sheets.spreadsheets.batchUpdate")
NAME = lease_name(SAMPLE_KEY)
ADMIN = Actor(ActorKind.API_TOKEN, "시스템 관리자", Role.ADMIN)


async def _edits_on_both_sides(world: World) -> int:
    """A synced school; then staff change its 학생수 and the API its name."""
    school_id = await add_school()
    await world.settle()
    world.tab("학교").update([["321"]], "F2", raw=False)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=school_id), {"name": "바뀐이름"})
    return school_id


async def _held_read(world: World) -> None:
    async def held() -> bool:
        return world.emulator.faults.holding(READ) == 1

    await until(held, "the cycle's read is held")


async def test_a_cycle_whose_lease_is_taken_writes_nothing_further_and_fails(world: World) -> None:
    school_id = await _edits_on_both_sides(world)
    assert await lease.acquire(NAME, "worker-a", ttl_seconds=30)
    # The read is applied, its answer withheld: the cycle is past its read, before any write.
    world.emulator.faults.inject("hold", count=1, method=READ, stage="after")
    world.emulator.clear_log()
    cycle = asyncio.create_task(
        cycle_with_lease(world.gateway, world.sheet, holder="worker-a", ttl_seconds=30)
    )
    try:
        await _held_read(world)
        # worker-a stalls past its expiry; worker-b takes over.
        await SyncLease.filter(name=NAME).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        assert await lease.acquire(NAME, "worker-b", ttl_seconds=30)
    finally:
        world.emulator.faults.release()
    report = await cycle

    assert not report.succeeded and "LeaseLost" in (report.error or ""), str(report)
    assert all(world.emulator.request_counts()[m] == 0 for m in WRITES)
    assert world.rows("학교")[1][2] == "미사초등학교"  # the API edit not written by worker-a
    assert (await School.get(id=school_id)).students == 500  # the staff edit not committed
    assert (await SyncCursor.get()).last_error is None  # worker-b's status left alone
    assert await lease.holder_of(NAME) == "worker-b"

    # worker-b's cycle then carries both edits through.
    assert (await cycle_with_lease(world.gateway, world.sheet, holder="worker-b", ttl_seconds=30)).succeeded
    assert (await School.get(id=school_id)).students == 321
    assert world.rows("학교")[1][2] == "바뀐이름"


async def test_a_cycle_longer_than_the_ttl_keeps_its_lease(world: World) -> None:
    school_id = await _edits_on_both_sides(world)
    ttl = 1.5
    assert await lease.acquire(NAME, "worker-a", ttl_seconds=ttl)
    first_expiry = (await SyncLease.get(name=NAME)).expires_at
    world.emulator.faults.inject("hold", count=1, method=READ, stage="after")
    cycle = asyncio.create_task(
        cycle_with_lease(world.gateway, world.sheet, holder="worker-a", ttl_seconds=ttl)
    )
    try:
        await _held_read(world)

        async def past_first_expiry() -> bool:
            return datetime.now(UTC) > first_expiry

        await until(past_first_expiry, "the cycle outlives the lease's first expiry")
        assert world.emulator.faults.holding(READ) == 1  # still mid-cycle
        assert not await lease.acquire(NAME, "worker-b", ttl_seconds=ttl)  # a standby stays out
        assert await lease.holder_of(NAME) == "worker-a"
    finally:
        world.emulator.faults.release()
    report = await cycle
    assert report.succeeded, str(report)
    assert (await School.get(id=school_id)).students == 321
    assert world.rows("학교")[1][2] == "바뀐이름"


async def test_a_cycle_that_loses_its_lease_after_its_transaction_ends_abandoned_and_reverts(
    world: World,
) -> None:
    school_id = await _edits_on_both_sides(world)
    await add_school(code="7530009", name="감일초등학교")  # an append: the cycle has a structure write
    assert await lease.acquire(NAME, "worker-a", ttl_seconds=30)
    # Held before it is applied: the transaction has committed, the sheet writes are to come.
    world.emulator.faults.inject("hold", count=1, method=WRITES[0], stage="before")
    cycle = asyncio.create_task(
        cycle_with_lease(world.gateway, world.sheet, holder="worker-a", ttl_seconds=30)
    )
    try:

        async def held() -> bool:
            return world.emulator.faults.holding(WRITES[0]) == 1

        await until(held, "the cycle's value write is held")
        await SyncLease.filter(name=NAME).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        assert await lease.acquire(NAME, "worker-b", ttl_seconds=30)
    finally:
        world.emulator.faults.release()
    report = await cycle
    assert not report.succeeded and "LeaseLost" in (report.error or ""), str(report)
    assert report.cycle_id is not None
    ended = await SyncCycle.get(id=report.cycle_id)
    assert ended.outcome == ABANDONED and ended.finished_at is not None
    assert "LeaseLost" in (ended.error or "") and ended.to_database == 1
    assert (await School.get(id=school_id)).students == 321  # committed before the lease went
    # Its change events committed with its id: it is taken back like any other cycle.
    result = await revert(report.cycle_id, actor=ADMIN)
    assert [(r.field, r.value_back) for r in result.restored] == [("students", 500)]
    assert (await School.get(id=school_id)).students == 500
    # worker-b carries everything through, the revert included.
    assert (await cycle_with_lease(world.gateway, world.sheet, holder="worker-b", ttl_seconds=30)).succeeded
    await world.settle()
    row = next(r for r in world.rows("학교") if str(r[0]) == str(school_id))
    assert (row[2], str(row[5])) == ("바뀐이름", "500")


async def test_a_cycle_left_running_by_a_dead_worker_is_ended_by_the_next_holder(world: World) -> None:
    await _edits_on_both_sides(world)
    left = await sync_cycle.start(SAMPLE_KEY)  # as a worker killed mid-cycle leaves it
    assert await lease.acquire(NAME, "worker-b", ttl_seconds=30)  # its lease expired; b takes it
    report = await cycle_with_lease(world.gateway, world.sheet, holder="worker-b", ttl_seconds=30)
    assert report.succeeded, str(report)
    ended = await SyncCycle.get(id=left)
    assert (ended.outcome, ended.error) == (ABANDONED, sync_cycle.LEFT_RUNNING)
    assert ended.finished_at is not None and ended.to_database == 0  # it committed nothing
    assert (await SyncCycle.get(id=report.cycle_id)).outcome == SUCCEEDED
