"""One sync cycle that read the sheet: when it ran, how it ended and what it changed each way.

Its id is carried by every change event the cycle wrote (`ChangeEvent.cycle_id`), so a cycle can
be shown in `history` and taken back as a whole (`models.services.cycle_revert`). An idle cycle
reads no sheet and gets no row.

How a cycle ends (``outcome``): SUCCEEDED; FAILED (its error says why); ABANDONED, when the
worker running it stopped before the end: it lost its lease mid-way (another worker leads now)
or it was cancelled, or it crashed and the next lease holder found its row still RUNNING. An
abandoned cycle's database transaction either committed (its change events carry its id, so it
is revertible like any other) or did not (it changed nothing). The column keeps its width and
description from migration 0012: ABANDONED fits, so no migration is needed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.change_event import ChangeEvent
from models.enums import ChangeAction

RUNNING, SUCCEEDED, FAILED, ABANDONED = "RUNNING", "SUCCEEDED", "FAILED", "ABANDONED"
# Why the next holder ended a cycle it found RUNNING (English: operators read `error`).
LEFT_RUNNING = "abandoned: the worker running it stopped before it finished (crash or lost lease)"


class SyncCycle(Model):
    id = fields.IntField(primary_key=True)
    spreadsheet_key = fields.CharField(max_length=200, db_index=True)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    outcome = fields.CharField(max_length=10, default=RUNNING, description="RUNNING, SUCCEEDED or FAILED")
    # Record changes the cycle wrote to the database (updates, creates, archives) ...
    to_database = fields.IntField(default=0)
    created = fields.IntField(default=0)
    archived = fields.IntField(default=0)
    # ... and field values it sent to the sheet (updated rows and appended rows).
    to_sheet = fields.IntField(default=0)
    conflicts = fields.IntField(default=0)
    error = fields.TextField(null=True)
    # Set once, by the revert that took this cycle back: a second revert is refused.
    reverted_at = fields.DatetimeField(null=True)
    reverted_by = fields.CharField(max_length=100, null=True)

    class Meta:
        table = "sync_cycle"
        ordering = ["id"]


async def start(spreadsheet_key: str) -> int:
    """A RUNNING cycle row, committed on its own so a crash still leaves the cycle on record."""
    cycle = await SyncCycle.create(spreadsheet_key=spreadsheet_key, started_at=_now())
    return int(cycle.pk)


async def finish(
    cycle_id: int, counts: dict[str, int], error: str | None = None, *, abandoned: bool = False
) -> None:
    """How the cycle ended, with its counts in `sync.cycle.CycleReport` terms."""
    outcome = ABANDONED if abandoned else (FAILED if error else SUCCEEDED)
    values: dict[str, Any] = {
        "finished_at": _now(),
        "outcome": outcome,
        "error": error,
        "to_database": counts.get("sheet->db", 0),
        "created": counts.get("created", 0),
        "archived": counts.get("archived", 0),
        "to_sheet": counts.get("db->sheet", 0) + counts.get("appended", 0),
        "conflicts": counts.get("conflicts", 0),
    }
    await SyncCycle.filter(id=cycle_id).update(**values)


async def abandon_left_running(spreadsheet_key: str) -> list[int]:
    """End as ABANDONED every cycle of the spreadsheet still RUNNING; their ids.

    Called by the lease holder just before it starts a cycle: one holder runs one cycle at a
    time, so a RUNNING row then is a previous holder's that never ended (it crashed, or was
    killed). Its database counts come from the change events it committed (none if its
    transaction never did); what it sent to the sheet is unknown, so left 0.
    """
    rows = SyncCycle.filter(spreadsheet_key=spreadsheet_key, outcome=RUNNING)
    left = [int(i) for i in await rows.values_list("id", flat=True)]  # type: ignore[call-overload]
    for cycle_id in left:
        events = ChangeEvent.filter(cycle_id=cycle_id)
        actions = [ChangeAction(str(a)) for a in await events.values_list("action", flat=True)]
        await SyncCycle.filter(id=cycle_id, outcome=RUNNING).update(
            outcome=ABANDONED,
            finished_at=_now(),
            error=LEFT_RUNNING,
            to_database=sum(1 for a in actions if a in (ChangeAction.UPDATE, ChangeAction.RESTORE)),
            created=sum(1 for a in actions if a == ChangeAction.CREATE),
            archived=sum(1 for a in actions if a == ChangeAction.ARCHIVE),
        )
    return left


def _now() -> datetime:
    return datetime.now(UTC)
