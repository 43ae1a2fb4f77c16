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
