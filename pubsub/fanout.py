"""Local fan-out: one queue per subscriber, fed by whichever backend receives the message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

logger = logging.getLogger(__name__)

# A subscriber this far behind is cut off rather than letting its queue grow without bound:
# a stalled browser tab must not exhaust the web process's memory.
DEFAULT_MAX_PENDING = 10_000


class SubscriberLagged(Exception):
    """The subscriber fell too far behind and was dropped; it should resubscribe and refetch."""


class SubscriptionClosed(Exception):
    """The pub/sub disconnected while the subscriber was still listening."""


_LAGGED = object()
_CLOSED = object()


class Subscriber:
    """An async iterator over one channel's messages for one listener."""

    def __init__(self, channel: str, max_pending: int) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[bytes | object] = asyncio.Queue()
        self._max_pending = max_pending
        self._ended = False

    def _deliver(self, message: bytes) -> bool:
        """Queue a message; False when the subscriber is lagging and must be dropped."""
        if self._ended:
            return False
        if self._queue.qsize() >= self._max_pending:
            self._end(_LAGGED)
            return False
        self._queue.put_nowait(message)
        return True

    def _end(self, marker: object) -> None:
        if not self._ended:
            self._ended = True
            self._queue.put_nowait(marker)

    def pending(self) -> int:
        """Messages received but not yet consumed (lets consumers coalesce bursts)."""
        return self._queue.qsize()

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        item = await self._queue.get()
        if item is _LAGGED:
            raise SubscriberLagged(f"subscriber of {self.channel!r} fell behind and was dropped")
        if item is _CLOSED:
            raise StopAsyncIteration
        assert isinstance(item, bytes)
        return item


class LocalFanout:
    """Channel -> subscribers of this process."""

    def __init__(self, max_pending: int = DEFAULT_MAX_PENDING) -> None:
        self._channels: dict[str, set[Subscriber]] = {}
        self._max_pending = max_pending

    def add(self, channel: str) -> tuple[Subscriber, bool]:
        """A new subscriber, and whether it is the channel's first in this process."""
        subscriber = Subscriber(channel, self._max_pending)
        listeners = self._channels.setdefault(channel, set())
        listeners.add(subscriber)
        return subscriber, len(listeners) == 1

    def remove(self, channel: str, subscriber: Subscriber) -> bool:
        """Forget a subscriber; True when the channel has no local subscribers left."""
        listeners = self._channels.get(channel)
        if listeners is None:
            return False
        listeners.discard(subscriber)
        if listeners:
            return False
        del self._channels[channel]
        return True

    def deliver(self, channel: str, message: bytes) -> None:
        for subscriber in list(self._channels.get(channel, ())):
            if not subscriber._deliver(message):
                logger.warning("dropped a lagging subscriber of %s", channel)
                self._channels[channel].discard(subscriber)

    def count(self, channel: str) -> int:
        return len(self._channels.get(channel, ()))

    def channels(self) -> list[str]:
        return list(self._channels)

    def close_all(self) -> None:
        """End every subscriber's iteration (the backend is going away)."""
        for listeners in self._channels.values():
            for subscriber in listeners:
                subscriber._end(_CLOSED)
        self._channels.clear()
