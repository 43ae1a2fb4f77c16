"""In-process pub/sub: API and worker in one process (`eduhub serve`), and the test backend."""

from __future__ import annotations

from pubsub.base import PubSub, as_bytes


class MemoryPubSub(PubSub):
    """Delivers to subscribers of this process only; publishing never blocks or fails."""

    async def connect(self) -> None:
        return None

    async def disconnect(self) -> None:
        self._fanout.close_all()

    async def ping(self) -> None:
        """In-process delivery is always there."""

    async def publish(self, channel: str, message: bytes | str) -> None:
        self._fanout.deliver(channel, as_bytes(message))

    async def _upstream_subscribe(self, channel: str) -> None:
        return None

    async def _upstream_unsubscribe(self, channel: str) -> None:
        return None
