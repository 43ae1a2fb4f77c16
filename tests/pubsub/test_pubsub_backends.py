"""The pub/sub contract, run against the in-memory backend and a real Redis server."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest

from models.errors import ConfigurationError
from pubsub import MemoryPubSub, PubSub, RedisPubSub, SubscriberLagged, create_pubsub
from pubsub.fanout import LocalFanout

REDIS_URL = os.environ["TEST_REDIS_URL"]  # set by tests/conftest.py


@pytest.fixture(params=["memory", "redis"])
async def pubsub(request: pytest.FixtureRequest) -> AsyncIterator[PubSub]:
    backend: PubSub = MemoryPubSub() if request.param == "memory" else RedisPubSub(REDIS_URL)
    await backend.connect()
    yield backend
    await backend.disconnect()


def _channel() -> str:
    # Unique per test: the Redis server is shared with other tests and processes.
    return f"test:{uuid.uuid4().hex}"


async def test_a_published_message_reaches_every_subscriber_in_order(pubsub: PubSub) -> None:
    channel = _channel()
    async with pubsub.subscribe(channel) as first, pubsub.subscribe(channel) as second:
        await pubsub.publish(channel, "하나")
        await pubsub.publish(channel, b"two")
        for subscriber in (first, second):
            assert await anext(subscriber) == "하나".encode()
            assert await anext(subscriber) == b"two"


async def test_other_channels_are_not_delivered(pubsub: PubSub) -> None:
    channel, other = _channel(), _channel()
    async with pubsub.subscribe(channel) as messages:
        await pubsub.publish(other, "not for you")
        await pubsub.publish(channel, "for you")
        assert await anext(messages) == b"for you"


async def test_leaving_the_block_unsubscribes(pubsub: PubSub) -> None:
    channel = _channel()
    async with pubsub.subscribe(channel):
        assert pubsub.subscriber_count(channel) == 1
    assert pubsub.subscriber_count(channel) == 0
    # Publishing to a channel nobody listens to is fine.
    await pubsub.publish(channel, "nobody")


async def test_disconnect_ends_iteration(pubsub: PubSub) -> None:
    channel = _channel()
    async with pubsub.subscribe(channel) as messages:
        await pubsub.disconnect()
        assert [message async for message in messages] == []


async def test_redis_delivers_across_connections() -> None:
    """Two backends stand for two processes: what one publishes, the other's subscriber gets."""
    publisher, listener = RedisPubSub(REDIS_URL), RedisPubSub(REDIS_URL)
    await publisher.connect()
    await listener.connect()
    try:
        channel = _channel()
        async with listener.subscribe(channel) as messages:
            await publisher.publish(channel, "across")
            assert await asyncio.wait_for(anext(messages), 5) == b"across"
    finally:
        await publisher.disconnect()
        await listener.disconnect()


async def test_redis_unreachable_fails_at_connect() -> None:
    backend = RedisPubSub("redis://127.0.0.1:1/0")
    with pytest.raises(ConfigurationError, match="REDIS_URL"):
        await backend.connect()
    await backend.disconnect()


async def test_a_lagging_subscriber_is_dropped_not_buffered_forever() -> None:
    fanout = LocalFanout(max_pending=2)
    subscriber, _ = fanout.add("c")
    for n in range(3):
        fanout.deliver("c", str(n).encode())
    assert fanout.count("c") == 0
    assert await anext(subscriber) == b"0"
    assert await anext(subscriber) == b"1"
    with pytest.raises(SubscriberLagged):
        await anext(subscriber)


def test_factory_picks_redis_only_when_configured() -> None:
    assert isinstance(create_pubsub(None), MemoryPubSub)
    assert isinstance(create_pubsub(REDIS_URL), RedisPubSub)
