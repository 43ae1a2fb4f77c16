"""Requests waiting together share one clock read, and a read never predates its caller."""

from __future__ import annotations

import asyncio

from api.clock_reads import SharedClockReads
from models import change_clock
from models.actor import SYSTEM_ACTOR
from models.enums import SchoolLevel
from models.services import schools
from models.services.schools import SchoolFields
from models.services.write_scope import write_scope


async def _write_once() -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        fields: SchoolFields = {
            "code": "S-CLOCK",
            "name": "시계초등학교",
            "level": SchoolLevel.ELEMENTARY,
            "district": "하남시",
        }
        await schools.create(scope, fields)


async def test_callers_arriving_together_share_one_read(db: str) -> None:
    reads = SharedClockReads()
    answers = await asyncio.gather(*(reads.read() for _ in range(8)))
    assert all(answer is answers[0] for answer in answers)  # one read served all eight
    assert answers[0] == await change_clock.read_both()


async def test_a_caller_arriving_during_a_read_gets_a_later_one_that_sees_a_commit_made_meanwhile(
    db: str,
) -> None:
    reads = SharedClockReads()
    first = asyncio.create_task(reads.read())
    await asyncio.sleep(0)  # the first read is on its way
    await _write_once()
    second = await reads.read()
    assert second.changes == (await change_clock.read_both()).changes
    assert (await first).changes <= second.changes
    assert second is not await first


async def test_inside_own_connection_reads_on_postgres_use_a_connection_that_is_reopened_and_closed(
    db: str,
) -> None:
    reads = SharedClockReads()
    async with reads.own_connection(db):
        first = await reads.read()
        held = reads._connection
        assert (held is not None) == db.startswith("postgres")  # SQLite reads through the pool
        await _write_once()
        assert (await reads.read()).changes == first.changes + 1 == (await change_clock.read_both()).changes
        if held is not None:
            await held.close()  # as a dropped connection would be
            assert (await reads.read()).changes == first.changes + 1
            assert reads._connection is not None and reads._connection is not held
    assert reads._connection is None
    assert (await reads.read()).changes == first.changes + 1  # through the pool again


async def test_a_caller_that_goes_away_leaves_the_others_read_alone(db: str) -> None:
    reads = SharedClockReads()
    leaving, staying = asyncio.create_task(reads.read()), asyncio.create_task(reads.read())
    await asyncio.sleep(0)
    leaving.cancel()
    assert (await staying) == await change_clock.read_both()
    assert leaving.cancelled()
