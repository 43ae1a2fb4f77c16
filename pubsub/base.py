"""The pub/sub interface every backend implements (after encode/broadcaster's `backends/base.py`).

Channels carry opaque bytes; `pubsub.channels` names the channels and encodes their messages.
A backend fans messages out locally, so a thousand WebSocket subscribers in one process share
one upstream subscription instead of opening a thousand Redis connections.
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pubsub.fanout import LocalFanout, Subscriber


class PubSub(abc.ABC):
    """Publish bytes on a channel; subscribe to a channel as an async iterator of bytes.

    Example:
        async with pubsub.subscribe("eduhub:changes") as messages:
            async for message in messages:
                ...
    Messages published after `subscribe` has entered are delivered; earlier ones are not.
    """

    def __init__(self) -> None:
        self._fanout = LocalFanout()

    @abc.abstractmethod
    async def connect(self) -> None:
        """Open the connection to the broker (no-op in memory)."""

    @abc.abstractmethod
    async def disconnect(self) -> None:
        """Close the connection and end every local subscription."""

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise when the broker does not answer now (readiness)."""

    @abc.abstractmethod
    async def publish(self, channel: str, message: bytes | str) -> None:
        """Deliver `message` to every subscriber of `channel`, in this process and others."""

    @abc.abstractmethod
    async def _upstream_subscribe(self, channel: str) -> None:
        """Start receiving `channel` from the broker (called for its first local subscriber)."""

    @abc.abstractmethod
    async def _upstream_unsubscribe(self, channel: str) -> None:
        """Stop receiving `channel` (called when its last local subscriber leaves)."""

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscriber]:
        """Subscribe for the duration of the `async with` block."""
        subscriber, first = self._fanout.add(channel)
        try:
            if first:
                await self._upstream_subscribe(channel)
            yield subscriber
        finally:
            if self._fanout.remove(channel, subscriber):
                await self._upstream_unsubscribe(channel)

    def subscriber_count(self, channel: str) -> int:
        """Local subscribers of `channel` (for metrics and tests)."""
        return self._fanout.count(channel)


def as_bytes(message: bytes | str) -> bytes:
    return message.encode() if isinstance(message, str) else message
