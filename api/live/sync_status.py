"""The `sync-status` hint: the worker says a cycle finished, so `syncStatus` subscribers re-read.

Freshness itself is always read from the database (`schema.sync_views.sync_status`), never
carried in the message, so a lost hint only delays an update until the subscribers' slow timer.
"""

from __future__ import annotations

from pubsub import channels
from schema.live.state import current_pubsub_or_none
from sync.cycle import CycleReport


async def cycle_finished(spreadsheet_key: str | None = None) -> None:
    """Tell `syncStatus` subscribers in every process that a sync cycle finished.

    The worker calls it after each cycle; a no-op in a process without live updates.
    """
    pubsub = current_pubsub_or_none()
    if pubsub is not None:
        await pubsub.publish(channels.SYNC_STATUS, channels.encode({"spreadsheet": spreadsheet_key}))


async def report_cycle(report: CycleReport) -> None:
    """`run_worker(on_cycle=report_cycle)`: every cycle's end reaches `syncStatus` subscribers."""
    await cycle_finished(report.spreadsheet_key)
