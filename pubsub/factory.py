"""Pick the backend: Redis when a URL is given (`REDIS_URL`), else in-process."""

from __future__ import annotations

from pubsub.base import PubSub
from pubsub.memory import MemoryPubSub
from pubsub.redis import RedisPubSub


def create_pubsub(redis_url: str | None) -> PubSub:
    """An unconnected backend; the app lifespan (or worker) calls `connect()`/`disconnect()`."""
    if redis_url:
        return RedisPubSub(redis_url)
    return MemoryPubSub()
