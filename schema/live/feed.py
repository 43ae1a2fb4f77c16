"""One reader per process for a value every subscriber wants the newest of (sync freshness).

A thousand dashboards following `syncStatus` must cost one set of small queries per worker
cycle, not a thousand. A `SharedFeed` runs one reader task while anyone listens: it re-reads
when woken (a pub/sub hint) or after `refresh_seconds`, and hands each new distinct value to
every listener. The reader starts with the first listener and stops with the last.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable
from typing import Generic, TypeVar, cast

T = TypeVar("T")

logger = logging.getLogger(__name__)

WakeSource = Callable[[asyncio.Event], contextlib.AbstractAsyncContextManager[None]]
"""Sets the given event whenever the value may have changed, for as long as the block runs."""


class SharedFeed(Generic[T]):
    """The newest value of `read()`, shared by every listener of this process."""

    def __init__(
        self,
        read: Callable[[], Awaitable[T]],
        *,
        wake_source: WakeSource,
        news: Callable[[T], Hashable],
        refresh_seconds: float,
    ) -> None:
        self._read = read
        self._wake_source = wake_source
        # Only a change of `news(value)` is sent on (a lag that grows by itself is no news).
        self._news = news
        self._refresh_seconds = refresh_seconds
        self._latest: T | None = None
        self._latest_news: Hashable = None
        self._version = 0
        self._changed = asyncio.Condition()
        self._listeners = 0
        self._reader: asyncio.Task[None] | None = None

    async def values(self) -> AsyncGenerator[T, None]:
        """The current value at once, then each new one; ends when the caller stops iterating."""
        self._listeners += 1
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._run(), name="shared-feed-reader")
        seen = 0
        try:
            while True:
                async with self._changed:
                    await self._changed.wait_for(functools.partial(self._newer_than, seen))
                    seen, value = self._version, cast(T, self._latest)
                yield value
        finally:
            self._listeners -= 1
            if self._listeners == 0:
                await self.close()

    def _newer_than(self, version: int) -> bool:
        return self._version > version

    async def close(self) -> None:
        """Stop the reader and forget the value (the next listener starts afresh, never stale)."""
        reader, self._reader = self._reader, None
        self._latest, self._latest_news, self._version = None, None, 0
        if reader is not None:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

    async def _run(self) -> None:
        wake = asyncio.Event()
        async with self._wake_source(wake):
            while True:
                wake.clear()
                try:
                    value = await self._read()
                except Exception:
                    # A database hiccup must not end anyone's subscription: try again later.
                    logger.exception("shared feed read failed; retrying in %.0f s", self._refresh_seconds)
                else:
                    news = self._news(value)
                    if self._version == 0 or news != self._latest_news:
                        async with self._changed:
                            self._latest, self._latest_news = value, news
                            self._version += 1
                            self._changed.notify_all()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self._refresh_seconds)
