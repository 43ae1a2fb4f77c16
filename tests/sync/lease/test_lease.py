"""The lease: one holder at a time on both engines; an expired holder is replaced; a kept lease is
renewed in the background and a lost one is noticed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.sync_state import SyncLease
from sync import lease
from sync.errors import LeaseLost
from tests.sync.conftest import until


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


async def test_renew_keeps_only_a_lease_nobody_else_took(db: str) -> None:
    assert await lease.acquire("sync:k", "a", ttl_seconds=60)
    assert await lease.renew("sync:k", "a", ttl_seconds=60)
    await SyncLease.filter(name="sync:k").update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert await lease.renew("sync:k", "a", ttl_seconds=60)  # expired, but nobody led meanwhile
    await SyncLease.filter(name="sync:k").update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert await lease.acquire("sync:k", "b", ttl_seconds=60)
    assert not await lease.renew("sync:k", "a", ttl_seconds=60)
    await lease.release("sync:k", "b")
    # Free again, but "b" may have written while it led: renewing is not taking.
    assert not await lease.renew("sync:k", "a", ttl_seconds=60)
    assert await lease.holder_of("sync:k") is None


async def test_a_keeper_renews_in_the_background_and_notices_a_loss(db: str) -> None:
    assert await lease.acquire("sync:k", "a", ttl_seconds=0.6)
    first_expiry = (await SyncLease.get(name="sync:k")).expires_at
    async with lease.kept("sync:k", "a", ttl_seconds=0.6) as keeper:

        async def renewed() -> bool:
            return (await SyncLease.get(name="sync:k")).expires_at > first_expiry

        await until(renewed, "the keeper renews the lease")
        await keeper.check()  # still ours
        await SyncLease.filter(name="sync:k").update(holder="b")  # taken over

        async def noticed() -> bool:
            return keeper.lost

        await until(noticed, "the keeper notices the lease is gone")
        with pytest.raises(LeaseLost, match="held by b"):
            await keeper.check()
    assert (await SyncLease.get(name="sync:k")).holder == "b"


async def test_check_renews_at_once_and_a_lost_lease_stays_lost(db: str) -> None:
    assert await lease.acquire("sync:k", "a", ttl_seconds=60)
    # A long TTL: the background renewal will not run during this test, only check() does.
    async with lease.kept("sync:k", "a", ttl_seconds=600) as keeper:
        await SyncLease.filter(name="sync:k").update(holder="b")
        with pytest.raises(LeaseLost):
            await keeper.check()
        await SyncLease.filter(name="sync:k").update(holder="a")
        with pytest.raises(LeaseLost):
            await keeper.check()
