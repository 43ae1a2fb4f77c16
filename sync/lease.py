"""The leader lease: one worker syncs a spreadsheet at a time; others stand by and take over.

A row per lease name with the holder and an expiry. Taking or renewing it is one conditional
UPDATE (holder is me, or the lease has expired), which is atomic on SQLite and PostgreSQL
alike; a missing row is created, and losing that insert race just means someone else leads.

While a cycle runs, :func:`kept` renews the lease in the background (every TTL/3), so a long
first import or a cycle stuck in retries is not taken over; the cycle calls
:meth:`Keeper.check` before each write and stops if the lease went to someone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from models.sync_state import SyncLease
from sync.errors import LeaseLost

logger = logging.getLogger(__name__)


async def acquire(name: str, holder: str, *, ttl_seconds: float) -> bool:
    """Take or renew the lease; True when ``holder`` now holds it until now + ttl."""
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=ttl_seconds)
    updated = await SyncLease.filter(Q(name=name) & (Q(holder=holder) | Q(expires_at__lt=now))).update(
        holder=holder, expires_at=expires
    )
    if updated:
        return True
    if await SyncLease.exists(name=name):
        return False
    try:
        await SyncLease.create(name=name, holder=holder, expires_at=expires)
    except IntegrityError:
        return False
    return True


async def release(name: str, holder: str) -> None:
    """Give the lease up at once (clean shutdown) so a standby takes over without waiting."""
    await SyncLease.filter(name=name, holder=holder).delete()


async def holder_of(name: str) -> str | None:
    """Who holds the lease now (None when free or expired)."""
    lease = await SyncLease.get_or_none(name=name)
    if lease is None or lease.expires_at < datetime.now(UTC):
        return None
    return lease.holder


async def renew(name: str, holder: str, *, ttl_seconds: float) -> bool:
    """Extend a lease ``holder`` still holds; False if anyone else took it meanwhile.

    Unlike :func:`acquire` this never takes a free lease: a missing row means another worker
    took it and released it, so it may have written since, and whoever read before must not.
    An expired lease still in ``holder``'s name is extended: nobody else can have led since.
    """
    expires = datetime.now(UTC) + timedelta(seconds=ttl_seconds)
    return bool(await SyncLease.filter(name=name, holder=holder).update(expires_at=expires))


class Keeper:
    """Renews a held lease in the background while work runs; :meth:`check` guards each write."""

    def __init__(self, name: str, holder: str, *, ttl_seconds: float) -> None:
        self.name = name
        self.holder = holder
        self.ttl_seconds = ttl_seconds
        self.lost = False

    async def check(self) -> None:
        """Raise :class:`LeaseLost` unless the lease is still ours, renewing it now.

        Renewed here and not only read from the background flag, so a write never relies on
        an answer up to TTL/3 old. Once lost it stays lost: someone else may have written.
        """
        if not self.lost and not await renew(self.name, self.holder, ttl_seconds=self.ttl_seconds):
            self.lost = True
        if self.lost:
            now = await holder_of(self.name)
            raise LeaseLost(
                f"lease {self.name} was lost (now held by {now or 'nobody'}); stopped before writing"
            )

    async def run(self) -> None:
        """Renew every TTL/3 until cancelled or the lease is lost."""
        while not self.lost:
            await asyncio.sleep(self.ttl_seconds / 3)
            try:
                if not await renew(self.name, self.holder, ttl_seconds=self.ttl_seconds):
                    self.lost = True
                    logger.warning("%s lost lease %s", self.holder, self.name)
            except Exception:
                # A database hiccup: try again next round; two more chances before the expiry.
                logger.warning("renewing lease %s failed", self.name, exc_info=True)


@contextlib.asynccontextmanager
async def kept(name: str, holder: str, *, ttl_seconds: float) -> AsyncIterator[Keeper]:
    """Keep a lease the caller already holds renewed for the duration of the block."""
    keeper = Keeper(name, holder, ttl_seconds=ttl_seconds)
    task = asyncio.create_task(keeper.run(), name=f"lease keeper {name}")
    try:
        yield keeper
    finally:
        task.cancel()
        # asyncio.wait, not await: it never raises, so a cancellation of the caller still goes through.
        await asyncio.wait([task])
