"""Wire one process into live updates: publish its commits, relay wake-ups, expose the pub/sub.

Every process that writes or serves subscriptions enters `live_runtime` once:

    async with live_runtime(pubsub, wake=wake_event):   # wake only where a worker runs
        ...

- Its committed writes are published on `changes` (mutations in web processes, sheet edits
  in the worker), so a subscriber on any process hears them.
- Where a worker runs, `sync-wake` messages (from the webhook on any web process) set `wake`.
- Subscriptions and the webhook find the process's pub/sub through `current_pubsub()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from api.live.outbox_bridge import change_publisher
from api.pubsub import PubSub, channels, create_pubsub
from api.settings import Settings
from models.services.write_scope import add_commit_listener, remove_commit_listener

logger = logging.getLogger(__name__)

_current: PubSub | None = None


def current_pubsub() -> PubSub:
    """The pub/sub of this process; raises when `live_runtime` has not been entered."""
    if _current is None:
        raise RuntimeError("live updates are not running in this process (enter live_runtime first)")
    return _current


def current_pubsub_or_none() -> PubSub | None:
    """The pub/sub of this process, or None where live updates are not running."""
    return _current


@contextlib.asynccontextmanager
async def live_runtime(pubsub: PubSub, *, wake: asyncio.Event | None = None) -> AsyncIterator[PubSub]:
    """Install the outbox bridge (and the wake relay) for the duration of the block."""
    global _current
    publisher = change_publisher(pubsub)
    add_commit_listener(publisher)
    previous, _current = _current, pubsub
    relay = asyncio.create_task(_relay_wake(pubsub, wake), name="sync-wake-relay") if wake else None
    try:
        yield pubsub
    finally:
        if relay is not None:
            relay.cancel()
            await asyncio.gather(relay, return_exceptions=True)
        _current = previous
        remove_commit_listener(publisher)


@contextlib.asynccontextmanager
async def live_lifespan(settings: Settings, *, wake: asyncio.Event | None = None) -> AsyncIterator[PubSub]:
    """Create and connect the backend `settings` choose, then run `live_runtime` (for app lifespans)."""
    pubsub = create_pubsub(settings)
    await pubsub.connect()
    try:
        async with live_runtime(pubsub, wake=wake):
            yield pubsub
    finally:
        await pubsub.disconnect()


async def _relay_wake(pubsub: PubSub, wake: asyncio.Event) -> None:
    async with pubsub.subscribe(channels.SYNC_WAKE) as messages:
        async for _ in messages:
            # Many wake-ups before the worker looks collapse into one cycle.
            wake.set()
