"""The live state of this process that subscriptions read: its pub/sub and what subscribers share.

The composition root installs it for the lifetime of a process (`api.live.runtime.live_runtime`
enters `installed(pubsub)`); subscriptions, the webhook and the worker's freshness hint only read it:

    async with installed(pubsub):
        current_pubsub()                   # the process's pub/sub
        shared_computations()              # recomputations shared by identical subscriptions
        shared_feed("sync-status", make)   # one reader per process for a value all follow
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar, cast

from pubsub import PubSub
from schema.live.feed import SharedFeed
from schema.live.shared import SharedComputations

T = TypeVar("T")

_current: PubSub | None = None
_shared: SharedComputations[Any] | None = None
_feeds: dict[str, SharedFeed[Any]] = {}


def current_pubsub() -> PubSub:
    """The pub/sub of this process; raises when `live_runtime` has not been entered."""
    if _current is None:
        raise RuntimeError("live updates are not running in this process (enter live_runtime first)")
    return _current


def current_pubsub_or_none() -> PubSub | None:
    """The pub/sub of this process, or None where live updates are not running."""
    return _current


def shared_computations() -> SharedComputations[Any]:
    """Recomputations shared by this runtime's subscribers (they end with the runtime)."""
    global _shared
    if _shared is None:
        _shared = SharedComputations()
    return _shared


def shared_feed(name: str, create: Callable[[], SharedFeed[T]]) -> SharedFeed[T]:
    """This runtime's feed called `name`, created on first use (it ends with the runtime)."""
    if name not in _feeds:
        _feeds[name] = create()
    return cast(SharedFeed[T], _feeds[name])


@contextlib.asynccontextmanager
async def installed(pubsub: PubSub) -> AsyncIterator[None]:
    """Make `pubsub` this process's, with fresh shared computations and feeds, for the block."""
    global _current, _shared, _feeds
    previous, _current = (_current, _shared, _feeds), pubsub
    _shared, _feeds = SharedComputations(), {}
    try:
        yield
    finally:
        for feed in _feeds.values():
            await feed.close()
        _current, _shared, _feeds = previous
