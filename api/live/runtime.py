"""Wire one process into live updates: publish its commits, relay wake-ups, expose the pub/sub.

Every process that writes or serves subscriptions enters `live_runtime` once:

    async with live_runtime(pubsub, wake=wake_event):   # wake only where a worker runs
        ...

- Its committed writes are published on `changes` (mutations in web processes, sheet edits
  in the worker), so a subscriber on any process hears them.
- `sync-wake` messages (from the webhook on any web process) set the process's wake event
  (`wake`, or one created here and returned by `sync_wake_event()`); a worker in the process
  passes it to `run_worker(..., wake=...)`. Without a worker nobody waits on it, at no cost.
- Subscriptions and the webhook find the process's pub/sub through
  `schema.live.state.current_pubsub()`, and values every subscriber shares (sync freshness)
  through `schema.live.state.shared_feed()`: this runtime installs that state.
- Open WebSockets whose token is revoked or expires are closed (`api.live.token_watch`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from api.live.outbox_bridge import change_publisher
from api.live.token_watch import DEFAULT_RECHECK_SECONDS, TokenWatch
from api.settings import Settings
from models.services.write_scope import add_commit_listener, remove_commit_listener
from pubsub import PubSub, channels, create_pubsub
from schema.live import state
from sync.wake import Wake

logger = logging.getLogger(__name__)

_wake: asyncio.Event | None = None
_token_watch: TokenWatch | None = None


def token_watch_or_none() -> TokenWatch | None:
    """This runtime's watch over token-bearing WebSockets, or None where live updates are off."""
    return _token_watch


def sync_wake_event() -> asyncio.Event:
    """The event `sync-wake` messages set in this process (pass it to the worker as `wake`)."""
    global _wake
    if _wake is None:
        _wake = Wake()
    return _wake


@contextlib.asynccontextmanager
async def live_runtime(
    pubsub: PubSub,
    *,
    wake: asyncio.Event | None = None,
    token_recheck_seconds: float = DEFAULT_RECHECK_SECONDS,
) -> AsyncIterator[PubSub]:
    """Install the outbox bridge, the wake relay and the token watch for the duration of the block."""
    global _wake, _token_watch
    publisher = change_publisher(pubsub)
    add_commit_listener(publisher)
    try:
        async with state.installed(pubsub):
            # A fresh event per runtime: an asyncio.Event belongs to the loop that first waits on it.
            previous = (_wake, _token_watch)
            _wake = wake or Wake()
            watch = _token_watch = TokenWatch(recheck_seconds=token_recheck_seconds)
            tasks = [
                asyncio.create_task(_relay_wake(pubsub, _wake), name="sync-wake-relay"),
                asyncio.create_task(watch.listen(pubsub), name="token-revoked-listener"),
            ]
            try:
                yield pubsub
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await watch.close()
                _wake, _token_watch = previous
    finally:
        remove_commit_listener(publisher)


@contextlib.asynccontextmanager
async def live_lifespan(settings: Settings, *, wake: asyncio.Event | None = None) -> AsyncIterator[PubSub]:
    """Create and connect the backend `settings` choose, then run `live_runtime` (for app lifespans)."""
    pubsub = create_pubsub(settings.redis_url)
    await pubsub.connect()
    try:
        async with live_runtime(pubsub, wake=wake, token_recheck_seconds=settings.token_recheck_seconds):
            yield pubsub
    finally:
        await pubsub.disconnect()


def lifespan_hook(
    settings: Settings,
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[dict[str, Any]]]:
    """A hook for `api.app.create_app(lifespan_hooks=...)`: live updates for the app's lifetime.

    The lifespan state gets `pubsub` and `sync_wake` (the event an in-process worker waits on).
    """

    @contextlib.asynccontextmanager
    async def hook(app: Any) -> AsyncIterator[dict[str, Any]]:
        async with live_lifespan(settings) as pubsub:
            yield {"pubsub": pubsub, "sync_wake": sync_wake_event()}

    return hook


async def _relay_wake(pubsub: PubSub, wake: asyncio.Event) -> None:
    async with pubsub.subscribe(channels.SYNC_WAKE) as messages:
        async for message in messages:
            # Many wake-ups before the worker looks collapse into one cycle.
            if isinstance(wake, Wake):
                wake.ring(_request_id_of(message))
            else:
                wake.set()


def _request_id_of(message: bytes) -> str | None:
    try:
        found = channels.decode(message).get("request_id")
    except ValueError:  # a wake from an older process or a hand-sent one: it still wakes
        return None
    return found if isinstance(found, str) else None
