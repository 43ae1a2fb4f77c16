"""The database side of a cycle: one transaction through the service layer.

Records, merge bases, conflicts, issues and the outbox cursor move together, so a crash leaves
either all of a cycle's database effects or none. Sheet writes happen around it and are
idempotent (see ``sync.cycle``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich.progress import Progress

from models.actor import SHEET_SYNC_ACTOR
from models.errors import ValidationFailed
from models.services.write_scope import WriteScope, write_scope
from models.sync_state import SyncConflict, SyncCursor, SyncedRow, SyncIssue
from sync.mapping import SpreadsheetMapping
from sync.plan import Conflict, Issue
from sync.records import KINDS
from sync.work import TabWork


@dataclass
class DbOutcome:
    """What the transaction did, for the sheet-side follow-up and the report."""

    id_writes: list[tuple[str, int, str]] = field(default_factory=list)  # (tab, row, key)
    issues: list[Issue] = field(default_factory=list)
    to_db: int = 0
    created: int = 0
    archived: int = 0
    conflicts: int = 0


async def apply(
    sheet: SpreadsheetMapping,
    works: list[TabWork],
    *,
    last_event_id: int | None,
    event_gaps: dict[str, str] | None = None,
    drive_version: str | None,
    progress: bool = False,
) -> DbOutcome:
    """Apply every tab's plan in one transaction; a refused row becomes an issue, not a failure."""
    outcome = DbOutcome()
    now = datetime.now(UTC)
    async with write_scope(SHEET_SYNC_ACTOR) as scope:
        for work in works:
            outcome.issues += work.plan.issues
            await _updates(sheet.key, work, scope, outcome)
            await _creates(sheet.key, work, scope, outcome, progress)
            await _appends(sheet.key, work, scope)
        for work in reversed(works):  # budget lines before programs before schools
            await _archives(sheet.key, work, scope, outcome)
        await _issues(sheet.key, outcome.issues, now, scope)
        changed = bool(scope.events) or any(w.plan.changes for w in works)
        await _cursor(sheet.key, (last_event_id, event_gaps), drive_version, now, changed, scope)
    return outcome


async def _updates(key: str, work: TabWork, scope: WriteScope, outcome: DbOutcome) -> None:
    kind = KINDS[work.tab.model]
    done: set[int] = set()
    for update in work.plan.updates:
        untouched = not (update.to_db or update.to_sheet or update.conflicts or update.write_id)
        if untouched and not update.is_new_sync and update.record_id not in work.loaded_ids:
            # Neither side changed and the database was not read: the merge base already holds.
            done.add(update.record_id)
            continue
        if update.to_db:
            record = await kind.model.get(id=update.record_id)
            try:
                await kind.service.update(scope, record, kind.to_service(update.to_db))
            except ValidationFailed as error:
                outcome.issues += _refused(work, update.row_number, update.key, update.to_db, error)
                continue
            outcome.to_db += 1
        done.add(update.record_id)
        for conflict in update.conflicts:
            await _conflict(key, work, conflict, scope)
            outcome.conflicts += 1
        if update.is_new_sync:
            await (
                SyncedRow.filter(spreadsheet_key=key, record_type=work.tab.model, record_id=update.record_id)
                .using_db(scope.connection)
                .delete()
            )
            await SyncedRow.create(
                spreadsheet_key=key,
                tab=work.tab.name,
                record_type=work.tab.model,
                record_id=update.record_id,
                row_key=update.key,
                snapshot=update.snapshot,
                using_db=scope.connection,
            )
        else:
            await (
                SyncedRow.filter(spreadsheet_key=key, tab=work.tab.name, row_key=update.key)
                .using_db(scope.connection)
                .update(snapshot=update.snapshot, pending=False)
            )
        if update.write_id:
            outcome.id_writes.append((work.tab.name, update.row_number, update.key))
    # Records read this cycle but held back keep a pending mark, so no later cycle forgets them.
    held = (work.loaded_ids & work.synced_ids) - done - {d.record_id for d in work.plan.row_deletes}
    held -= set(work.plan.forget) | {a.record_id for a in work.plan.archives}
    if held:
        await (
            SyncedRow.filter(spreadsheet_key=key, tab=work.tab.name, record_id__in=held)
            .using_db(scope.connection)
            .update(pending=True)
        )


async def _creates(key: str, work: TabWork, scope: WriteScope, outcome: DbOutcome, progress: bool) -> None:
    kind = KINDS[work.tab.model]
    bar = Progress(transient=True) if progress and len(work.plan.creates) > 100 else None
    task = bar.add_task(f"{work.tab.name} 가져오기", total=len(work.plan.creates)) if bar else None
    if bar:
        bar.start()
    try:
        for create in work.plan.creates:
            try:
                record = await kind.service.create(scope, kind.to_service(create.values))
            except ValidationFailed as error:
                outcome.issues += _refused(work, create.row_number, None, create.values, error)
                continue
            row_key = str(record.pk)
            await SyncedRow.create(
                spreadsheet_key=key,
                tab=work.tab.name,
                record_type=work.tab.model,
                record_id=record.pk,
                row_key=row_key,
                snapshot=create.values,
                using_db=scope.connection,
            )
            outcome.id_writes.append((work.tab.name, create.row_number, row_key))
            outcome.created += 1
            if bar and task is not None:
                bar.advance(task)
    finally:
        if bar:
            bar.stop()


async def _appends(key: str, work: TabWork, scope: WriteScope) -> None:
    rows = [
        SyncedRow(
            spreadsheet_key=key,
            tab=work.tab.name,
            record_type=work.tab.model,
            record_id=append.record_id,
            row_key=str(append.record_id),
            snapshot=append.values,
        )
        for append in work.plan.appends
    ]
    if rows:
        await SyncedRow.bulk_create(rows, batch_size=500, using_db=scope.connection)


async def _archives(key: str, work: TabWork, scope: WriteScope, outcome: DbOutcome) -> None:
    kind = KINDS[work.tab.model]
    gone: list[int] = list(work.plan.forget) + [d.record_id for d in work.plan.row_deletes]
    for archive in work.plan.archives:
        record = await kind.model.get(id=archive.record_id)
        if record.archived_at is None:
            try:
                await kind.service.archive(scope, record)
            except ValidationFailed as error:
                outcome.issues += _refused(work, None, archive.key, {}, error)
                continue
        gone.append(archive.record_id)
        outcome.archived += 1
    if gone:
        await (
            SyncedRow.filter(spreadsheet_key=key, tab=work.tab.name, record_id__in=gone)
            .using_db(scope.connection)
            .delete()
        )


async def _conflict(key: str, work: TabWork, conflict: Conflict, scope: WriteScope) -> None:
    await SyncConflict.create(
        spreadsheet_key=key,
        tab=work.tab.name,
        record_type=work.tab.model,
        record_id=conflict.record_id,
        field=conflict.field,
        base_value=conflict.base,
        sheet_value=conflict.sheet,
        database_value=conflict.database,
        applied_side=conflict.applied_side,
        using_db=scope.connection,
    )


def _refused(
    work: TabWork,
    row_number: int | None,
    row_key: str | None,
    values: dict[str, Any],
    error: ValidationFailed,
) -> list[Issue]:
    """The service layer's Korean messages, placed on the cell that caused them when known."""
    issues = []
    for user_error in error.errors:
        name = _snake(user_error.field) if user_error.field else None
        if name not in values:
            name = None
        value = "" if name is None else str(values.get(name, ""))
        issues.append(
            Issue(work.tab.name, row_number, name, value, str(user_error.code), user_error.message, row_key)
        )
    return issues


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def issue_identity(issue: Issue | SyncIssue) -> tuple[Any, ...]:
    return (issue.tab, issue.row_key, issue.row_number, _column(issue), issue.code, issue.value)


def _column(issue: Issue | SyncIssue) -> str | None:
    return issue.field if isinstance(issue, Issue) else issue.column


async def _issues(key: str, issues: list[Issue], now: datetime, scope: WriteScope) -> None:
    """Open issues become exactly this cycle's; fixed ones resolve themselves."""
    wanted = {issue_identity(i): i for i in issues}
    open_rows = await SyncIssue.filter(spreadsheet_key=key, resolved_at=None).using_db(scope.connection)
    have = {issue_identity(r): r for r in open_rows}
    stale = [r.pk for ident, r in have.items() if ident not in wanted]
    if stale:
        await SyncIssue.filter(id__in=stale).using_db(scope.connection).update(resolved_at=now)
    for ident, issue in wanted.items():
        if ident not in have:
            await SyncIssue.create(
                spreadsheet_key=key,
                tab=issue.tab,
                row_number=issue.row_number,
                column=issue.field,
                row_key=issue.row_key,
                value=issue.value,
                code=issue.code,
                problem=issue.problem,
                using_db=scope.connection,
            )


async def _cursor(
    key: str,
    position: tuple[int | None, dict[str, str] | None],
    version: str | None,
    now: datetime,
    changed: bool,
    scope: WriteScope,
) -> None:
    cursor = await SyncCursor.filter(spreadsheet_key=key).using_db(scope.connection).first()
    if cursor is None:
        cursor = SyncCursor(spreadsheet_key=key)
    last_event_id, gaps = position
    if last_event_id is not None:
        cursor.last_event_id = last_event_id
        cursor.event_gaps = gaps or {}
    cursor.drive_version = version
    cursor.last_cycle_at = cursor.last_success_at = now
    cursor.last_error = None  # type: ignore[assignment]  # nullable column, typed str by Tortoise
    if changed or cursor.last_change_at is None:
        cursor.last_change_at = now
    await cursor.save(using_db=scope.connection)
