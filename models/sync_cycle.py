"""One sync cycle that read the sheet: when it ran, how it ended and what it changed each way.

Its id is carried by every change event the cycle wrote (`ChangeEvent.cycle_id`), so a cycle can
be shown in `history` and taken back as a whole (`models.services.cycle_revert`). An idle cycle
reads no sheet and gets no row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise import fields
from tortoise.models import Model

RUNNING, SUCCEEDED, FAILED = "RUNNING", "SUCCEEDED", "FAILED"


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


async def finish(cycle_id: int, counts: dict[str, int], error: str | None = None) -> None:
    """How the cycle ended, with its counts in `sync.cycle.CycleReport` terms."""
    values: dict[str, Any] = {
        "finished_at": _now(),
        "outcome": FAILED if error else SUCCEEDED,
        "error": error,
        "to_database": counts.get("sheet->db", 0),
        "created": counts.get("created", 0),
        "archived": counts.get("archived", 0),
        "to_sheet": counts.get("db->sheet", 0) + counts.get("appended", 0),
        "conflicts": counts.get("conflicts", 0),
    }
    await SyncCycle.filter(id=cycle_id).update(**values)


def _now() -> datetime:
    return datetime.now(UTC)
