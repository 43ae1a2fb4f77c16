"""The lease: one holder at a time on both engines; an expired holder is replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.sync_state import SyncLease
from sync import lease


async def test_one_holder_at_a_time_and_renewal(db: str) -> None:
    assert await lease.acquire("sync:k", "a", ttl_seconds=60)
    assert not await lease.acquire("sync:k", "b", ttl_seconds=60)
    assert await lease.acquire("sync:k", "a", ttl_seconds=60)  # renewal
    assert await lease.holder_of("sync:k") == "a"


async def test_a_dead_holder_is_replaced_once_its_lease_expires(db: str) -> None:
    assert await lease.acquire("sync:k", "a", ttl_seconds=60)
    # "a" died: it stops renewing, so its expiry passes.
    await SyncLease.filter(name="sync:k").update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert await lease.holder_of("sync:k") is None
    assert await lease.acquire("sync:k", "b", ttl_seconds=60)
    assert not await lease.acquire("sync:k", "a", ttl_seconds=60)


async def test_release_hands_over_at_once(db: str) -> None:
    assert await lease.acquire("sync:k", "a", ttl_seconds=60)
    await lease.release("sync:k", "a")
    assert await lease.acquire("sync:k", "b", ttl_seconds=60)
