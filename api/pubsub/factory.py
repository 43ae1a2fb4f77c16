"""Pick the pub/sub backend from settings: Redis when `REDIS_URL` is set, else in-process."""

from __future__ import annotations

from api.pubsub.base import PubSub
from api.pubsub.memory import MemoryPubSub
from api.pubsub.redis import RedisPubSub
from api.settings import Settings


def create_pubsub(settings: Settings) -> PubSub:
    """An unconnected backend; the app lifespan (or worker) calls `connect()`/`disconnect()`."""
    if settings.redis_url:
        return RedisPubSub(settings.redis_url)
    return MemoryPubSub()
