"""SharedFeed: one reader per process, however many listeners; only news is sent on."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator

from schema.live.feed import SharedFeed


class Source:
    """A value to follow, counting how often it is read; `poke()` is the pub/sub hint."""

    def __init__(self) -> None:
        self.value = 0
        self.reads = 0
        self.fail_next = False
        self.wakes: list[asyncio.Event] = []

    async def read(self) -> int:
        self.reads += 1
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("database went away")
        return self.value

    @contextlib.asynccontextmanager
    async def wake_source(self, wake: asyncio.Event) -> AsyncIterator[None]:
        self.wakes.append(wake)
        try:
            yield
        finally:
            self.wakes.remove(wake)

    def poke(self) -> None:
        for wake in self.wakes:
            wake.set()


def _feed(source: Source, refresh_seconds: float = 3600) -> SharedFeed[int]:
    # news: the value's tens (so 10 and 11 are the same news, as lag is for syncStatus).
    return SharedFeed(
        source.read, wake_source=source.wake_source, news=lambda v: v // 10, refresh_seconds=refresh_seconds
    )


async def _take(values: AsyncGenerator[int, None], count: int) -> list[int]:
    return [await asyncio.wait_for(anext(values), 5) for _ in range(count)]


async def test_many_listeners_share_one_read_per_wake() -> None:
    source = Source()
    feed = _feed(source)
    listeners = [feed.values() for _ in range(50)]
    assert [await _take(it, 1) for it in listeners] == [[0]] * 50
    assert source.reads == 1
    source.value = 20
    source.poke()
    assert [await _take(it, 1) for it in listeners] == [[20]] * 50
    assert source.reads == 2
    for it in listeners:
        await it.aclose()
    assert not source.wakes  # the reader stopped with the last listener


async def test_only_news_is_sent_on() -> None:
    source = Source()
    feed = _feed(source)
    values = feed.values()
    assert await _take(values, 1) == [0]
    source.value = 5
    source.poke()
    await asyncio.sleep(0.05)
    source.value = 30
    source.poke()
    assert await _take(values, 1) == [30]
    assert source.reads == 3
    await values.aclose()


async def test_a_failed_read_ends_no_subscription_and_is_retried() -> None:
    source = Source()
    feed = _feed(source, refresh_seconds=0.05)
    values = feed.values()
    assert await _take(values, 1) == [0]
    source.fail_next = True
    source.value = 40
    source.poke()
    assert await _take(values, 1) == [40]
    assert source.reads >= 3
    await values.aclose()


async def test_a_new_listener_after_a_quiet_spell_never_gets_a_stale_value() -> None:
    source = Source()
    feed = _feed(source)
    first = feed.values()
    assert await _take(first, 1) == [0]
    await first.aclose()
    source.value = 70  # changed while nobody listened (no hint reached anyone)
    second = feed.values()
    assert await _take(second, 1) == [70]
    await second.aclose()
