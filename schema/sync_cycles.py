# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword arguments is typed as returning Any)
"""Sync cycles as the API shows them: `syncStatus.recentCycles` and the revert's cycle."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry

from models.sync_cycle import SyncCycle as SyncCycleRow

RECENT_CYCLES = 10
CYCLE_COLUMNS = (
    "id",
    "spreadsheet_key",
    "started_at",
    "finished_at",
    "outcome",
    "to_database",
    "created",
    "archived",
    "to_sheet",
    "conflicts",
    "reverted_at",
    "reverted_by",
)


@strawberry.type(
    description="One sync cycle that read the sheet, with what it changed each way. Its id is the "
    "`cycleId` of its change events in `history`, and what `syncCycleRevert` takes back."
)
class SyncCycle:
    cycle_id: int = strawberry.field(description="The cycle's number (`eduhub sync revert N`).")
    spreadsheet_key: str = strawberry.field(description="The spreadsheet the cycle read.")
    started_at: datetime = strawberry.field(description="When the cycle started writing (UTC).")
    finished_at: datetime | None = strawberry.field(description="When it ended; null while running.")
    outcome: str = strawberry.field(
        description="RUNNING, SUCCEEDED, FAILED, or ABANDONED: the worker stopped before the end (it lost "
        "its lease, was stopped, or crashed and the next lease holder found the cycle still running)."
    )
    to_database: int = strawberry.field(description="Records the sheet's edits updated in the database.")
    created: int = strawberry.field(description="Records created from new sheet rows.")
    archived: int = strawberry.field(description="Records archived because their row left the sheet.")
    to_sheet: int = strawberry.field(description="Rows written to the sheet (updated or appended).")
    conflicts: int = strawberry.field(description="Fields both sides changed differently.")
    reverted_at: datetime | None = strawberry.field(description="When the cycle was reverted; null if not.")
    reverted_by: str | None = strawberry.field(description="Who reverted it.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        values = dict(row)
        values["cycle_id"] = values.pop("id")
        return cls(**values)


async def recent_cycles(limit: int = RECENT_CYCLES) -> list[SyncCycle]:
    """The newest cycles first: one small statement."""
    rows = await SyncCycleRow.all().order_by("-id").limit(limit).values(*CYCLE_COLUMNS)
    return [SyncCycle.from_row(row) for row in rows]
