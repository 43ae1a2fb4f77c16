"""Writers tick different rows of the change clock: none waits for another's commit, and the
clock a reader sees still moves by exactly one per committed write (PostgreSQL: truly at once)."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from models import change_clock

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Only PostgreSQL runs transactions truly at once."""
    return postgres_url


async def test_a_writer_ticks_and_commits_while_another_still_holds_its_tick(db: str) -> None:
    before = await change_clock.read()
    holding, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:  # its own task: its own transaction, not one nested in the test's
        async with in_transaction() as connection:
            await change_clock.tick(connection)  # holds its row's lock until it commits
            holding.set()
            await release.wait()

    task = asyncio.create_task(first())
    await holding.wait()
    async with in_transaction() as second:
        # With one clock row this would wait for `first`, which waits for this: a deadlock.
        # The guard is no speed figure: it only turns that hang into a failure.
        await asyncio.wait_for(change_clock.tick(second), timeout=30)
    assert await change_clock.read() == before + 1  # `second` committed, `first` not yet
    release.set()
    await task
    assert await change_clock.read() == before + 2


async def test_every_committed_tick_counts_once_and_a_rolled_back_one_not_at_all(db: str) -> None:
    before = await change_clock.read()

    async def tick() -> None:
        async with in_transaction() as connection:
            await change_clock.tick(connection)

    await asyncio.gather(*(tick() for _ in range(3 * change_clock.SHARDS)))
    with pytest.raises(RuntimeError):
        async with in_transaction() as connection:
            await change_clock.tick(connection)
            raise RuntimeError("rolled back")
    clocks = await change_clock.read_both()
    assert clocks.changes == before + 3 * change_clock.SHARDS
    assert clocks.tokens is not None  # the token clock is no shard
