"""The leader lease: one worker syncs a spreadsheet at a time; others stand by and take over.

A row per lease name with the holder and an expiry. Taking or renewing it is one conditional
UPDATE (holder is me, or the lease has expired), which is atomic on SQLite and PostgreSQL
alike; a missing row is created, and losing that insert race just means someone else leads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from models.sync_state import SyncLease


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
