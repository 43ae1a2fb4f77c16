"""The database side of a cycle: one transaction through the service layer.

Records, merge bases, conflicts, issues and the outbox cursor move together, so a crash leaves
either all of a cycle's database effects or none. The transaction runs before any sheet write
(see ``sync.cycle``): it first locks every record it is about to write and merges again any row
whose record changed after the cycle's read, so a change committed meanwhile becomes a conflict
(or goes to the sheet), never an overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich.progress import Progress
from tortoise.exceptions import IntegrityError

from models.actor import SHEET_SYNC_ACTOR
from models.enums import RecordType
from models.errors import ValidationFailed
from models.services import budget_lines, locking
from models.services.write_scope import WriteScope, write_scope
from models.sync_state import SyncConflict, SyncCursor, SyncedRow, SyncIssue
from sync.mapping import SpreadsheetMapping
from sync.merge import merge_row
from sync.plan import Conflict, Issue, RowUpdate
from sync.records import KINDS
from sync.work import TabWork


@dataclass
class DbOutcome:
    """What the transaction did, for the sheet writes that follow and the report."""

    created: dict[str, int] = field(default_factory=dict)  # anchor of a created row -> record id
    issues: list[Issue] = field(default_factory=list)
    to_db: int = 0
    created_count: int = 0
    archived: int = 0
    conflicts: int = 0
    rechecked: int = 0  # rows merged again because their record changed after the read
    follow_up: bool = False  # the transaction changed records it did not merge (renamed references)


async def apply(
    sheet: SpreadsheetMapping,
    works: list[TabWork],
    *,
    last_event_id: int | None,
    event_gaps: dict[str, str] | None = None,
    progress: bool = False,
    cycle_id: int | None = None,
) -> DbOutcome:
    """Apply every tab's plan in one transaction; a refused row becomes an issue, not a failure."""
    outcome = DbOutcome()
    now = datetime.now(UTC)
    written: set[tuple[str, int]] = set()
    async with write_scope(SHEET_SYNC_ACTOR, cycle_id=cycle_id) as scope:
        await _lock(works, scope, outcome)
        for work in works:
            outcome.issues += work.plan.issues
            await _updates(sheet.key, work, scope, outcome, written)
            await _creates(sheet.key, work, scope, outcome, progress, written)
            await _appends(sheet.key, work, scope)
        for work in reversed(works):  # budget lines before programs before schools
            await _archives(sheet.key, work, scope, outcome, written)
        await _issues(sheet.key, outcome.issues, now, scope)
        outcome.follow_up = any((str(e.record_type), e.record_id) not in written for e in scope.events)
        changed = bool(scope.events) or any(w.plan.changes for w in works)
        await _cursor(sheet.key, (last_event_id, event_gaps), now, changed, scope)
    return outcome


async def _lock(works: list[TabWork], scope: WriteScope, outcome: DbOutcome) -> None:
    """Take every lock up front in the service layer's order (models/services/locking.py): the
    budget total first when amounts may change, then rows, budget lines before programs before
    schools, so a concurrent mutation waits for this cycle or this cycle for it, never both."""
    if any(
        w.tab.model is RecordType.BUDGET_LINE and (w.plan.creates or any(u.to_db for u in w.plan.updates))
        for w in works
    ):
        await locking.exclusive(scope, budget_lines.TOTAL_LOCK)
    for work in sorted(works, key=lambda w: locking.LOCK_ORDER.index(w.tab.model)):
        await _recheck(work, scope, outcome)


async def _recheck(work: TabWork, scope: WriteScope, outcome: DbOutcome) -> None:
    """Lock the records this tab writes and merge again the rows whose record changed since the read."""
    plan = work.plan
    wanted = {u.record_id for u in plan.updates if u.to_db or u.to_sheet or u.conflicts or u.is_new_sync}
    if not wanted:
        return
    kind = KINDS[work.tab.model]
    fresh = await kind.load_values(wanted, scope.connection, True)
    kept: list[RowUpdate] = []
    for update in plan.updates:
        current = fresh.get(update.record_id)
        if update.record_id not in wanted or current is None or update.row is None:
            kept.append(update)
            continue
        values, archived = current
        if archived:
            continue  # archived meanwhile: its event is after the cursor, the next cycle clears the row
        if all(values.get(name) == update.seen.get(name) for name in update.row.raw):
            kept.append(update)
            continue
        again = merge_row(work.tab, update.row, update.record_id, update.base, values, plan.issues)
        if again is None:
            continue
        again.key, again.anchor, again.write_id = update.key, update.anchor, update.write_id
        again.is_new_sync, again.claim, again.placed = update.is_new_sync, update.claim, update.placed
        kept.append(again)
        outcome.rechecked += 1
    plan.updates = kept


async def _updates(
    key: str, work: TabWork, scope: WriteScope, outcome: DbOutcome, written: set[tuple[str, int]]
) -> None:
    kind = KINDS[work.tab.model]
    done: set[int] = set()
    for update in work.plan.updates:
        untouched = not (
            update.to_db or update.to_sheet or update.conflicts or update.write_id or update.claim
        ) and not (update.is_new_sync or update.placed)
        if untouched and update.record_id not in work.loaded_ids:
            # Neither side changed and the database was not read: the merge base already holds.
            done.add(update.record_id)
            continue
        if update.to_db:
            record = await kind.model.filter(id=update.record_id).using_db(scope.connection).first()
            try:
                await kind.service.update(scope, record, kind.to_service(update.to_db))
            except ValidationFailed as error:
                outcome.issues += _refused(work, update.row_number, update.key, update.to_db, error)
                continue
            written.add((str(work.tab.model), update.record_id))
            outcome.to_db += 1
        done.add(update.record_id)
        for conflict in update.conflicts:
            await _conflict(key, work, conflict, scope)
            outcome.conflicts += 1
        # A value bound for the sheet stays pending until a read finds it there (crash-safe).
        state: dict[str, Any] = {"snapshot": update.snapshot, "pending": bool(update.to_sheet or update.held)}
        if update.claim or update.is_new_sync:
            state["anchor"] = update.anchor
        if update.placed or update.is_new_sync:
            state["placed"] = True
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
                using_db=scope.connection,
                **state,
            )
        else:
            await (
                SyncedRow.filter(spreadsheet_key=key, tab=work.tab.name, record_id=update.record_id)
                .using_db(scope.connection)
                .update(**state)
            )
    # Records read this cycle but held back keep a pending mark, so no later cycle forgets them;
    # so do archived ones whose row is being cleared, until a read finds their anchor gone.
    held = (work.loaded_ids & work.synced_ids) - done
    held -= set(work.plan.forget) | {a.record_id for a in work.plan.archives}
    if held:
        await (
            SyncedRow.filter(spreadsheet_key=key, tab=work.tab.name, record_id__in=held)
            .using_db(scope.connection)
            .update(pending=True)
        )


async def _creates(
    key: str,
    work: TabWork,
    scope: WriteScope,
    outcome: DbOutcome,
    progress: bool,
    written: set[tuple[str, int]],
) -> None:
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
            written.add((str(work.tab.model), record.pk))
            await SyncedRow.create(
                spreadsheet_key=key,
                tab=work.tab.name,
                record_type=work.tab.model,
                record_id=record.pk,
                row_key=str(record.pk),
                snapshot=create.values,
                anchor=create.anchor,
                using_db=scope.connection,
            )
            outcome.created[create.anchor] = record.pk
            outcome.created_count += 1
            if bar and task is not None:
                bar.advance(task)
    finally:
        if bar:
            bar.stop()


async def _appends(key: str, work: TabWork, scope: WriteScope) -> None:
    """Appends are recorded before the rows are written: a lost write is redone, never archived."""
    fresh = [a for a in work.plan.appends if not a.again]
    rows = [
        SyncedRow(
            spreadsheet_key=key,
            tab=work.tab.name,
            record_type=work.tab.model,
            record_id=append.record_id,
            row_key=str(append.record_id),
            snapshot=append.values,
            anchor=append.anchor,
            placed=False,
        )
        for append in fresh
    ]
    if rows:
        await SyncedRow.bulk_create(rows, batch_size=500, using_db=scope.connection)
    for append in work.plan.appends:
        if append.again:
            await (
                SyncedRow.filter(spreadsheet_key=key, tab=work.tab.name, record_id=append.record_id)
                .using_db(scope.connection)
                .update(snapshot=append.values, anchor=append.anchor, placed=False, pending=False)
            )


async def _archives(
    key: str, work: TabWork, scope: WriteScope, outcome: DbOutcome, written: set[tuple[str, int]]
) -> None:
    kind = KINDS[work.tab.model]
    gone: list[int] = list(work.plan.forget)
    for archive in work.plan.archives:
        record = await kind.model.filter(id=archive.record_id).using_db(scope.connection).first()
        if record is not None and record.archived_at is None:
            try:
                await kind.service.archive(scope, record)
            except ValidationFailed as error:
                outcome.issues += _refused(work, None, archive.key, {}, error)
                continue
            written.add((str(work.tab.model), archive.record_id))
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
    """The service layer's Korean messages, placed on the cell that caused them when known.

    A refusal the database itself raised (a unique index catching a race the service's check
    missed) has already aborted a PostgreSQL transaction: the cycle fails and the next one sees
    the committed row, so its check refuses cleanly before any SQL.
    """
    if isinstance(error.__cause__, IntegrityError):
        raise error
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
    # The Drive version is recorded only after the sheet writes (sync.cycle): a cycle cut short
    # leaves none, so the next cycle reads the sheet again instead of calling itself idle.
    cursor.drive_version = None
    cursor.last_cycle_at = cursor.last_success_at = now
    cursor.last_error = None  # type: ignore[assignment]  # nullable column, typed str by Tortoise
    if changed or cursor.last_change_at is None:
        cursor.last_change_at = now
    await cursor.save(using_db=scope.connection)
