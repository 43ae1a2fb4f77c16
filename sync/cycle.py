"""One sync cycle for one spreadsheet.

Order (crash anywhere converges):
1. Drive ``version`` + outbox check: nothing new -> idle (one cheap call).
2. One ``values:batchGet`` of every mapped and worker-owned tab; merge each tab (pure).
3. One ``values:batchUpdate`` (RAW): database -> sheet cells and appended rows, each with its ID.
   A crash here leaves sheet == database != base, which the next merge sees as "same change".
4. One database transaction: sheet -> database changes, creates, archives, merge bases,
   conflicts, issues, the outbox cursor.
5. One ``spreadsheets:batchUpdate``: IDs of created rows, notes, worker-owned tabs, row deletes.
   A crash here is recovered next cycle (an ID-less row equal to an unseen merge base gets its
   ID; an archived record's row is deleted again).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from models.sync_state import SyncConflict, SyncCursor, SyncedRow, SyncIssue
from sync import a1, issues_tab, outbox_reader, sheet_writes, summary_tab
from sync.applier import DbOutcome, apply
from sync.errors import LeaseLost
from sync.gateway.base import SheetsGateway
from sync.mapping import SpreadsheetMapping, TabMapping
from sync.merge import DbRecord, MergeInput, merge
from sync.plan import Issue, TabPlan
from sync.records import KINDS
from sync.table import Table, read
from sync.work import TabWork

logger = logging.getLogger(__name__)


@dataclass
class CycleReport:
    """How a cycle went, honestly: ``succeeded`` is False for any cycle that did not finish."""

    spreadsheet_key: str
    succeeded: bool = False
    idle: bool = False
    dry_run: bool = False
    error: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    api_calls: Counter[str] = field(default_factory=Counter)
    plan: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_calls(self) -> int:
        return sum(self.api_calls.values())

    def __str__(self) -> str:
        state = "succeeded" if self.succeeded else "FAILED"
        kind = "dry run" if self.dry_run else ("idle" if self.idle else "busy")
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()) if v) or "no changes"
        lines = [
            f"sync {self.spreadsheet_key}: {state} ({kind}, {self.seconds:.2f}s, "
            f"{self.total_calls} API calls: {dict(self.api_calls)}) - {counts}"
        ]
        if self.error:
            lines.append(f"error: {self.error}")
        lines += self.plan
        return "\n".join(lines)


_sheet_ids: dict[str, dict[str, int]] = {}

Guard = Callable[[], Awaitable[None]]


async def _unguarded() -> None:
    return None


async def run_cycle(
    gateway: SheetsGateway,
    sheet: SpreadsheetMapping,
    *,
    dry_run: bool = False,
    confirm_deletes: bool = False,
    progress: bool = False,
    guard: Guard | None = None,
) -> CycleReport:
    """Run one cycle; never raises for Sheets or data trouble, the report says what happened.

    ``guard`` is awaited before every write (sheet or database) and stops the cycle by raising,
    e.g. :meth:`sync.lease.Keeper.check` when the lease went to another worker.
    """
    report = CycleReport(sheet.key, dry_run=dry_run)
    calls_before = Counter(getattr(gateway, "calls", Counter()))
    started = time.perf_counter()
    try:
        await _cycle(
            gateway,
            sheet,
            report,
            dry_run=dry_run,
            confirm_deletes=confirm_deletes,
            progress=progress,
            guard=guard or _unguarded,
        )
        report.succeeded = True
    except Exception as error:
        logger.exception("sync cycle for %s failed", sheet.key)
        report.error = f"{type(error).__name__}: {error}"
        # After a lost lease the cursor's status is the new holder's to write.
        if not dry_run and not isinstance(error, LeaseLost):
            await _record_failure(sheet.key, report.error)
    report.api_calls = Counter(getattr(gateway, "calls", Counter())) - calls_before
    report.seconds = time.perf_counter() - started
    return report


async def _cycle(
    gateway: SheetsGateway,
    sheet: SpreadsheetMapping,
    report: CycleReport,
    *,
    dry_run: bool,
    confirm_deletes: bool,
    progress: bool,
    guard: Guard,
) -> None:
    cursor = await SyncCursor.get_or_none(spreadsheet_key=sheet.key)
    after = cursor.last_event_id if cursor else 0
    gaps = cursor.event_gaps if cursor else {}
    version = await gateway.drive_version(sheet.key)
    quiet = cursor is not None and cursor.drive_version == version
    if quiet and not confirm_deletes and not await outbox_reader.has_foreign_events(after, gaps):
        report.idle = True
        if not dry_run:
            # An idle cycle is a success too: it clears the error a failed change check left.
            await SyncCursor.filter(spreadsheet_key=sheet.key).update(
                last_cycle_at=_now(), last_success_at=_now(), last_error=None
            )
        return
    batch = await outbox_reader.read(after, gaps)
    owned = [sheet.issues_tab] + ([sheet.summary_tab] if sheet.summary_tab else [])
    grids = await gateway.batch_get(
        sheet.key, [a1.quote(t.name) for t in sheet.tabs] + [a1.quote(t) for t in owned]
    )
    works = []
    for tab, (returned, cells) in zip(sheet.tabs, grids, strict=False):
        table = read(tab, cells)
        work = TabWork(tab, table, TabPlan(tab.name), a1.grid_rows(returned), len(cells))
        state = await _merge_input(
            sheet.key, tab, table, batch.touched.get(tab.model, set()), cursor is None, work
        )
        work.plan = merge(sheet, table, state, confirm_deletes=confirm_deletes)
        works.append(work)
    for work in works:
        report.plan += work.plan.describe() if dry_run else []
        _count(report, work)
    if dry_run:
        return
    owned_grids = {name: cells for name, (_, cells) in zip(owned, grids[len(sheet.tabs) :], strict=False)}
    ids = await _ids(gateway, sheet)
    await _grow(gateway, sheet.key, ids, works, guard)
    data = sheet_writes.values_data(works)
    if data:
        await guard()
        await gateway.values_batch_update(sheet.key, data)
    # A skipped tab must see its database changes again once its header is fixed.
    skipped = any(w.plan.skipped for w in works)
    await guard()
    # The Drive version is recorded only once the last write is done: a cycle cut short before
    # it leaves none, so the next cycle reads the sheet again instead of calling itself idle.
    outcome = await apply(
        sheet,
        works,
        last_event_id=None if skipped else batch.last_event_id,
        event_gaps=batch.gaps,
        drive_version=None,
        progress=progress,
    )
    report.counts["sheet->db"] = outcome.to_db
    report.counts["created"] = outcome.created
    report.counts["archived"] = outcome.archived
    report.counts["issues"] = len(outcome.issues)
    requests, notes = await _structure(sheet, works, outcome, ids, owned_grids)
    await guard()
    if requests:
        await gateway.batch_update(sheet.key, requests)
    await SyncCursor.filter(spreadsheet_key=sheet.key).update(notes=notes, drive_version=version)


async def _merge_input(
    key: str, tab: TabMapping, table: Table, touched: set[int], first: bool, work: TabWork
) -> MergeInput:
    kind = KINDS[tab.model]
    synced_rows = await SyncedRow.filter(spreadsheet_key=key, tab=tab.name).values_list(
        "row_key", "record_id", "snapshot", "pending"
    )
    synced = {str(k): (int(rid), dict(snap)) for k, rid, snap, _ in synced_rows}
    work.synced_ids = {rid for _, rid, _, _ in synced_rows}
    pending = {rid for _, rid, _, p in synced_rows if p}
    unknown = {int(r.key) for r in table.rows if r.key and r.key.isdigit() and r.key not in synced}
    wanted = None if first else touched | pending | unknown
    loaded = await kind.load_values(wanted) if wanted is None or wanted else {}
    work.loaded_ids = set(loaded)
    db = {rid: DbRecord(values, archived) for rid, (values, archived) in loaded.items()}
    return MergeInput(synced, db, {rid for rid in db if rid not in work.synced_ids})


async def _ids(gateway: SheetsGateway, sheet: SpreadsheetMapping) -> dict[str, int]:
    """Tab title -> sheetId, fetched once per process (sheet ids never change)."""
    known = _sheet_ids.get(sheet.key)
    needed = [t.name for t in sheet.tabs] + [sheet.issues_tab]
    if known is None or any(name not in known for name in needed):
        known = _sheet_ids[sheet.key] = await gateway.sheet_ids(sheet.key)
    return known


async def _grow(
    gateway: SheetsGateway, key: str, ids: dict[str, int], works: list[TabWork], guard: Guard
) -> None:
    """Add rows first when appends would run past the grid (values:batchUpdate cannot)."""
    requests = []
    for work in works:
        needed = work.data_rows + len(work.plan.appends)
        if work.grid_rows is not None and needed > work.grid_rows:
            requests.append(sheet_writes.grow(ids[work.tab.name], needed - work.grid_rows + 100))
    if requests:
        await guard()
        await gateway.batch_update(key, requests)


async def _structure(
    sheet: SpreadsheetMapping,
    works: list[TabWork],
    outcome: DbOutcome,
    ids: dict[str, int],
    owned: dict[str, list[list[Any]]],
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """IDs, notes, worker-owned tabs, then row deletes (last, so earlier positions hold)."""
    by_tab = {w.tab.name: w for w in works}
    requests = []
    for tab, row, key in outcome.id_writes:
        work = by_tab[tab]
        assert work.table.id_column is not None
        requests.append(sheet_writes.set_value(ids[tab], row, work.table.id_column, key))
    cursor = await SyncCursor.get(spreadsheet_key=sheet.key)
    wanted_notes = await _notes(sheet, works, outcome)
    for note_key in sorted(set(cursor.notes) | set(wanted_notes)):
        text = wanted_notes.get(note_key, "")
        if cursor.notes.get(note_key, "") == text:
            continue
        position = _position(note_key, by_tab, outcome)
        if position is not None:
            requests.append(sheet_writes.set_note(ids[position[0]], position[1], position[2], text))
    open_issues = [_as_issue(i) for i in await SyncIssue.filter(spreadsheet_key=sheet.key, resolved_at=None)]
    wanted = issues_tab.rows(sheet, open_issues)
    read_issues = owned.get(sheet.issues_tab, [])
    if not issues_tab.same(read_issues, wanted):
        requests.append(sheet_writes.set_grid(ids[sheet.issues_tab], issues_tab.padded(wanted, read_issues)))
    if sheet.summary_tab and sheet.summary_tab in ids:
        summary = await summary_tab.rows(cursor.last_change_at)
        read_summary = owned.get(sheet.summary_tab, [])
        if not issues_tab.same(read_summary, summary):
            requests.append(
                sheet_writes.set_grid(ids[sheet.summary_tab], issues_tab.padded(summary, read_summary))
            )
    for work in works:
        for number in sorted((d.row_number for d in work.plan.row_deletes), reverse=True):
            requests.append(sheet_writes.delete_row(ids[work.tab.name], number))
    return requests, wanted_notes


async def _notes(sheet: SpreadsheetMapping, works: list[TabWork], outcome: DbOutcome) -> dict[str, str]:
    """Note key ``tab|row key or #row|field`` -> Korean text, for issues and open conflicts."""
    notes: dict[str, str] = {}
    for issue in outcome.issues:
        if issue.row_number is None:
            continue
        where = issue.row_key or f"#{issue.row_number}"
        notes[f"{issue.tab}|{where}|{issue.field or ''}"] = f"동기화 오류: {issue.problem}"
    by_record = {(w.tab.name, u.record_id): u.key for w in works for u in w.plan.updates}
    conflicts = await SyncConflict.filter(spreadsheet_key=sheet.key, resolved_at=None)
    for c in conflicts:
        key = by_record.get((c.tab, c.record_id))
        if key is None:
            continue
        side = "시트" if c.applied_side == "SHEET" else "데이터베이스"
        notes[f"{c.tab}|{key}|{c.field}"] = (
            f"동기화 충돌 #{c.pk}: 시트 값 {c.sheet_value!r}, 데이터베이스 값 {c.database_value!r} "
            f"(이전 값 {c.base_value!r}). {side} 값을 적용했습니다. "
            "대시보드나 conflictResolve로 바꿀 수 있습니다."
        )
    return notes


def _position(note_key: str, by_tab: dict[str, TabWork], outcome: DbOutcome) -> tuple[str, int, int] | None:
    tab, where, field_name = note_key.split("|", 2)
    work = by_tab.get(tab)
    if work is None:
        return None
    positions = work.positions()
    positions.update({key: row for t, row, key in outcome.id_writes if t == tab})
    row = int(where[1:]) if where.startswith("#") else positions.get(where)
    column = work.table.columns.get(field_name) if field_name else work.table.id_column
    if row is None or column is None:
        return None
    return tab, row, column


def _as_issue(row: SyncIssue) -> Issue:
    return Issue(row.tab, row.row_number, row.column, row.value, row.code, row.problem, row.row_key)


def _count(report: CycleReport, work: TabWork) -> None:
    plan = work.plan
    report.counts["db->sheet"] += sum(1 for u in plan.updates if u.to_sheet)
    report.counts["conflicts"] += sum(len(u.conflicts) for u in plan.updates)
    report.counts["appended"] += len(plan.appends)
    report.counts["rows deleted"] += len(plan.row_deletes)
    report.counts["held deletes"] += sum(1 for i in plan.issues if i.code == "MASS_DELETE_HELD")


async def _record_failure(key: str, error: str) -> None:
    try:
        updated = await SyncCursor.filter(spreadsheet_key=key).update(last_cycle_at=_now(), last_error=error)
        if not updated:
            await SyncCursor.create(spreadsheet_key=key, last_cycle_at=_now(), last_error=error)
    except Exception:
        logger.exception("could not record the failed cycle")


def _now() -> datetime:
    return datetime.now(UTC)
