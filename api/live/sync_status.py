"""Sync freshness for the `syncStatus` subscription and the dashboard.

Freshness is always read from the database (`SyncCursor`, open `SyncIssue`s, pending
`SyncConflict`s), never carried in messages: the `sync-status` channel is only a hint to re-read.
The worker calls `cycle_finished()` after each cycle; subscribers also re-read after sheet-made
changes and on a slow timer, so freshness stays right even if a hint is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from api.live.runtime import current_pubsub_or_none
from api.pubsub import channels
from models.sync_state import SyncConflict, SyncCursor, SyncIssue


@dataclass(frozen=True, slots=True)
class SyncFreshness:
    last_cycle_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    open_issues: int
    pending_conflicts: int
    spreadsheets: int

    def lag_seconds(self, now: datetime | None = None) -> float | None:
        """Seconds since the last successful cycle; None before the first one."""
        if self.last_success_at is None:
            return None
        return max(0.0, ((now or datetime.now(UTC)) - self.last_success_at).total_seconds())


async def read_freshness() -> SyncFreshness:
    """The oldest success across spreadsheets (the figure is only as fresh as its stalest sheet)."""
    cursors = await SyncCursor.all()
    successes = [c.last_success_at for c in cursors if c.last_success_at is not None]
    cycles = [c.last_cycle_at for c in cursors if c.last_cycle_at is not None]
    errors = [c.last_error for c in cursors if c.last_error]
    return SyncFreshness(
        last_cycle_at=max(cycles) if cycles else None,
        last_success_at=min(successes) if len(successes) == len(cursors) and successes else None,
        last_error=errors[0] if errors else None,
        open_issues=await SyncIssue.filter(resolved_at__isnull=True).count(),
        pending_conflicts=await SyncConflict.filter(resolved_at__isnull=True).count(),
        spreadsheets=len(cursors),
    )


async def cycle_finished(spreadsheet_key: str | None = None) -> None:
    """Tell subscribers in every process that a sync cycle finished (call after each cycle).

    A no-op in a process without live updates, so the worker can always call it.
    """
    pubsub = current_pubsub_or_none()
    if pubsub is not None:
        await pubsub.publish(channels.SYNC_STATUS, channels.encode({"spreadsheet": spreadsheet_key}))
