# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword arguments is typed as returning Any)
"""How live and how trusted the figures are: sync status, open sync issues, and conflicts.

Read from the sync worker's bookkeeping (models.sync_state); the worker itself writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Self

import strawberry
from strawberry import Info, relay
from strawberry.scalars import JSON

from models.change_event import ChangeEvent as ChangeEventRow
from models.enums import RecordType
from models.sync_state import SyncConflict as SyncConflictRow
from models.sync_state import SyncCursor
from models.sync_state import SyncIssue as SyncIssueRow
from schema.history import camel_case
from schema.permissions import can_read_restricted, require_restricted_read, viewer_of
from schema.sync_cycles import SyncCycle, recent_cycles

ISSUE_COLUMNS = (
    "id",
    "spreadsheet_key",
    "tab",
    "row_number",
    "column",
    "row_key",
    "value",
    "code",
    "problem",
    "created_at",
    "resolved_at",
)
CONFLICT_COLUMNS = (
    "id",
    "spreadsheet_key",
    "tab",
    "record_type",
    "record_id",
    "field",
    "base_value",
    "sheet_value",
    "database_value",
    "applied_side",
    "created_at",
    "resolved_at",
    "resolved_by",
    "resolution",
)


@strawberry.type(
    description="A problem a person must fix in the sheet: a bad cell, duplicate ID, held delete."
)
class SyncIssue(relay.Node):
    id: relay.NodeID[int]
    spreadsheet_key: str = strawberry.field(description="The spreadsheet the problem is in.")
    tab: str = strawberry.field(description="The tab (e.g. 예산).")
    row_number: int | None = strawberry.field(description="Sheet row number, when the problem has one.")
    column: str | None = strawberry.field(description="Column header, when the problem is one cell.")
    row_key: str | None = strawberry.field(description="The row's ID column value, when it has one.")
    value: str = strawberry.field(description="The value found in the cell.")
    code: str = strawberry.field(description="Stable problem code.")
    problem: str = strawberry.field(description="What is wrong, in Korean, for the person who typed it.")
    created_at: datetime = strawberry.field(description="When the sync first saw the problem.")
    resolved_at: datetime | None = strawberry.field(description="When it was fixed; null while open.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(**row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SyncIssue | None]:
        require_restricted_read(info)
        keys = [int(i) for i in node_ids]
        found = {
            r["id"]: cls.from_row(r) for r in await SyncIssueRow.filter(id__in=keys).values(*ISSUE_COLUMNS)
        }
        return [found.get(key) for key in keys]


@strawberry.type(
    description="A field both the sheet and the database changed differently; both values are kept."
)
class SyncConflict(relay.Node):
    id: relay.NodeID[int]
    spreadsheet_key: str = strawberry.field(description="The spreadsheet of the conflicting cell.")
    tab: str = strawberry.field(description="The tab of the conflicting cell.")
    record_type: RecordType = strawberry.field(description="The kind of record in conflict.")
    record_id: relay.GlobalID = strawberry.field(description="Global id of the record in conflict.")
    field: str = strawberry.field(description="The field in conflict, as named in this API.")
    base_value: JSON | None = strawberry.field(description="The value both sides last agreed on.")
    sheet_value: JSON | None = strawberry.field(description="The value typed in the sheet.")
    database_value: JSON | None = strawberry.field(description="The value held in the database.")
    applied_side: str = strawberry.field(description="SHEET or DATABASE: the side the policy applied.")
    created_at: datetime = strawberry.field(description="When the conflict was detected.")
    resolved_at: datetime | None = strawberry.field(
        description="When a person resolved it; null while pending."
    )
    resolved_by: str | None = strawberry.field(description="Who resolved it.")
    resolution: str | None = strawberry.field(description="SHEET or DATABASE: the side the person kept.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        values = dict(row)
        values["record_id"] = relay.GlobalID(str(row["record_type"]), str(row["record_id"]))
        values["field"] = camel_case(row["field"])
        return cls(**values)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SyncConflict | None]:
        require_restricted_read(info)
        keys = [int(i) for i in node_ids]
        rows = await SyncConflictRow.filter(id__in=keys).values(*CONFLICT_COLUMNS)
        found = {r["id"]: cls.from_row(r) for r in rows}
        return [found.get(key) for key in keys]


@strawberry.type(
    description="How live and how trusted the figures are. Public, so every dashboard can show "
    "freshness; only the error text needs a token."
)
class SyncStatus:
    last_cycle_at: datetime | None = strawberry.field(
        description="When the sync last ran a cycle (any outcome)."
    )
    last_success_at: datetime | None = strawberry.field(
        description="When every synced spreadsheet last completed a cycle (the oldest of them)."
    )
    lag_seconds: float | None = strawberry.field(
        description="Seconds since `lastSuccessAt`; null when the sync never succeeded."
    )
    pending_changes: int = strawberry.field(
        description="Committed changes the sync has not yet written to the sheet."
    )
    pending_conflicts: int = strawberry.field(description="Conflicts no person has resolved yet.")
    open_issues: int = strawberry.field(description="Sheet problems not fixed yet.")
    error: strawberry.Private[str | None]

    @strawberry.field(
        description="The last failed cycle's error; null when it succeeded or for anonymous callers "
        "(it may name hosts and files)."
    )
    def last_error(self, info: Info) -> str | None:
        return self.error if can_read_restricted(viewer_of(info)) else None

    @strawberry.field(description="Whether the last cycle of any synced spreadsheet failed.")
    def last_cycle_failed(self) -> bool:
        return self.error is not None

    @strawberry.field(description="The last 10 cycles that read a sheet, newest first, with their counts.")
    async def recent_cycles(self) -> list[SyncCycle]:
        return await recent_cycles()


async def sync_status() -> SyncStatus:
    """A handful of small aggregate statements, whatever the size of the data."""
    cursors = await SyncCursor.all().values("last_event_id", "last_cycle_at", "last_success_at", "last_error")
    cycles = [c["last_cycle_at"] for c in cursors if c["last_cycle_at"] is not None]
    successes = [c["last_success_at"] for c in cursors]
    # The least-advanced spreadsheet decides how stale the figures can be.
    oldest_success = None if not successes or None in successes else min(successes)
    last_errors = [c["last_error"] for c in cursors if c["last_error"]]
    read_up_to = min((c["last_event_id"] for c in cursors), default=0)
    return SyncStatus(
        last_cycle_at=max(cycles, default=None),
        last_success_at=oldest_success,
        lag_seconds=None if oldest_success is None else (datetime.now(UTC) - oldest_success).total_seconds(),
        error=last_errors[0] if last_errors else None,
        pending_changes=await ChangeEventRow.filter(id__gt=read_up_to).count(),
        pending_conflicts=await SyncConflictRow.filter(resolved_at__isnull=True).count(),
        open_issues=await SyncIssueRow.filter(resolved_at__isnull=True).count(),
    )
