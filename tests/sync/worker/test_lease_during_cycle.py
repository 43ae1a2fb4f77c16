"""The lease while a cycle runs: kept past its TTL by background renewal; once lost, the cycle
writes nothing further and reports failure (the emulator holds a request to stop it mid-cycle)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from models.actor import SYSTEM_ACTOR
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_state import SyncCursor, SyncLease
from sync import lease
from sync.emulator import SAMPLE_KEY
from sync.worker import cycle_with_lease, lease_name
from tests.sync.conftest import World, add_school, until

READ = "sheets.spreadsheets.get"
WRITES = ("sheets.spreadsheets.values.batchUpdateByDataFilter", "sheets.spreadsheets.batchUpdate")
NAME = lease_name(SAMPLE_KEY)


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
