"""Redis pub/sub across processes and machines (`REDIS_URL`).

Built on redis-py's `redis.asyncio` client: the official, actively maintained Redis client for
Python, already a dependency. The `broadcaster` package offers the same shape but has been
unmaintained since 2024, so its design (one upstream connection per process, local fan-out)
is reproduced here in a few lines instead of depending on it.

Redis pub/sub is fire-and-forget: a process that is disconnected misses messages. That is
acceptable here because every consumer re-derives state (budget figures are recomputed, the
worker's wake-up only shortens a poll), and the outbox stays the durable record of changes.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from models.errors import ConfigurationError
from pubsub.base import PubSub, as_bytes

logger = logging.getLogger(__name__)

# Subscribed at connect so the connection always has a subscription and `listen()` never ends.
_CONTROL_CHANNEL = "eduhub:pubsub-control"
_RECONNECT_DELAYS = (0.1, 0.5, 1.0, 2.0, 5.0)
_CONFIRM_TIMEOUT_SECONDS = 10.0


class RedisPubSub(PubSub):
    """One Redis pub/sub connection per process, fanned out to local subscribers."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        self._client: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._confirmed: dict[str, asyncio.Event] = {}

    async def connect(self) -> None:
        self._client = aioredis.Redis.from_url(self._url, decode_responses=False)
        try:
            await self._client.ping()
        except (RedisConnectionError, RedisTimeoutError, OSError) as error:
            # Fail at startup with one clear line rather than on the first publish.
            raise ConfigurationError(f"REDIS_URL: cannot reach Redis ({error})") from error
        self._pubsub = self._client.pubsub()
        await self._subscribe_and_confirm(_CONTROL_CHANNEL, start_reader=True)

    async def disconnect(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None
        if self._pubsub is not None:
            await self._pubsub.aclose()
            self._pubsub = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        self._fanout.close_all()

    async def ping(self) -> None:
        if self._client is None:
            raise ConfigurationError("Redis is not connected")
        await self._client.ping()

    async def publish(self, channel: str, message: bytes | str) -> None:
        if self._client is None:
            raise RuntimeError("RedisPubSub.publish before connect()")
        await self._client.publish(channel, as_bytes(message))

    async def _upstream_subscribe(self, channel: str) -> None:
        await self._subscribe_and_confirm(channel, start_reader=False)

    async def _upstream_unsubscribe(self, channel: str) -> None:
        if self._pubsub is not None:
            await self._pubsub.unsubscribe(channel)

    async def _subscribe_and_confirm(self, channel: str, *, start_reader: bool) -> None:
        # SUBSCRIBE is only sent here; the reader sees Redis confirm it. Waiting for that
        # confirmation makes "messages published after subscribe() are delivered" hold.
        if self._pubsub is None:
            raise RuntimeError("RedisPubSub.subscribe before connect()")
        confirmed = self._confirmed.setdefault(channel, asyncio.Event())
        await self._pubsub.subscribe(channel)
        if start_reader:
            self._reader = asyncio.create_task(self._read_forever(), name="redis-pubsub-reader")
        async with asyncio.timeout(_CONFIRM_TIMEOUT_SECONDS):
            await confirmed.wait()

    async def _read_forever(self) -> None:
        failures = 0
        while True:
            try:
                async for message in self._pubsub.listen():
                    failures = 0
                    self._dispatch(message)
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                # redis-py reconnects and resubscribes every channel on the next read.
                delay = _RECONNECT_DELAYS[min(failures, len(_RECONNECT_DELAYS) - 1)]
                failures += 1
                logger.warning("redis pub/sub connection lost (%s), retrying in %.1fs", error, delay)
                await asyncio.sleep(delay)

    def _dispatch(self, message: dict[str, Any]) -> None:
        channel = message["channel"].decode()
        if message["type"] == "subscribe":
            self._confirmed.pop(channel, asyncio.Event()).set()
        elif message["type"] == "message":
            self._fanout.deliver(channel, message["data"])
