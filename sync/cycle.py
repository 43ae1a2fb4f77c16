"""One sync cycle for one spreadsheet.

Order (crash or lost answer anywhere converges, and no write is addressed by a row number
read earlier except placing a new anchor, which is checked by the next read):
1. Drive ``version`` + outbox check: nothing new -> idle (one cheap call).
2. One ``spreadsheets.get`` of every mapped and worker-owned tab (values, notes, row anchors);
   merge each tab (pure).
3. One database transaction: it locks the records it writes and merges again any row whose
   record changed after step 2, then applies sheet -> database changes, creates, archives,
   merge bases, conflicts, issues and the outbox cursor. A value bound for the sheet becomes
   the merge base only once a later read finds it there, so a crash after this step redoes
   the sheet write instead of mistaking the old cell for a staff edit.
4. One ``values:batchUpdateByDataFilter``: database -> sheet cells, new IDs and cleared rows,
   each addressed by the row's anchor.
5. One ``spreadsheets:batchUpdate``: anchors, notes, worker-owned tabs and appended rows.
6. The Drive version is recorded, so the next cycle may be idle.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery

from models import sync_cycle
from models.sync_state import SyncConflict, SyncCursor, SyncedRow, SyncIssue
from sync import guardrails, issues_tab, outbox_reader, owned_tabs, sheet_writes, summary_tab
from sync.applier import DbOutcome, apply
from sync.errors import LeaseLost, SyncError
from sync.gateway.base import SheetsGateway
from sync.grid import TabGrid
from sync.guardrails import tabs
from sync.mapping import SpreadsheetMapping, TabMapping
from sync.merge import DbRecord, MergeInput, Synced, merge
from sync.plan import Issue, TabPlan
from sync.records import KINDS
from sync.table import Table, read
from sync.work import TabWork

logger = logging.getLogger(__name__)
NOTE_PREFIXES = ("동기화 오류:", "동기화 충돌 #")  # the notes the worker owns; staff's own are left alone


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
    follow_up: bool = False  # new rows were anchored: the next cycle creates them, so run it soon
    cycle_id: int | None = None  # the SyncCycle row of a cycle that read the sheet and wrote

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


Guard = Callable[[], Awaitable[None]]
MAX_FOLLOW_UPS = 2  # cycles run at once after one that anchored new rows


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
        if report.cycle_id is not None:
            await sync_cycle.finish(report.cycle_id, report.counts)
    except asyncio.CancelledError:
        # Stopped from outside (shutdown): the cycle row says so, then the cancellation goes on.
        report.error = "CancelledError: the cycle was stopped before it finished"
        await _end_abandoned(report)
        raise
    except Exception as error:
        if isinstance(error, SyncError):
            # Said on purpose, with what to do: a traceback would only bury it.
            logger.error("sync cycle for %s failed: %s", sheet.key, error)
        else:
            logger.exception("sync cycle for %s failed", sheet.key)
        report.error = f"{type(error).__name__}: {error}"
        if isinstance(error, LeaseLost):
            # The cursor's status is the new holder's to write; the cycle row is ours to end.
            await _end_abandoned(report)
        elif not dry_run:
            await _record_failure(sheet.key, report.error, report)
    report.api_calls = Counter(getattr(gateway, "calls", Counter())) - calls_before
    report.seconds = time.perf_counter() - started
    return report


async def run_with_follow_ups(
    gateway: SheetsGateway, sheet: SpreadsheetMapping, **options: Any
) -> CycleReport:
    """A cycle, then at once the follow-ups it asks for, as one report.

    A cycle that anchored new rows creates their records in the next one: running that now,
    not after the polling interval, makes a row staff typed a record (with its ID) in one go.
    """
    reports = []
    for _ in range(1 + MAX_FOLLOW_UPS):
        report = await run_cycle(gateway, sheet, **options)
        reports.append(report)
        if not (report.succeeded and report.follow_up) or report.dry_run:
            break
    total = combine(reports)
    total.spreadsheet_key = sheet.key
    return total


def combine(reports: list[CycleReport]) -> CycleReport:
    """One report for several spreadsheets: failed if any failed."""
    if len(reports) == 1:
        return reports[0]
    total = CycleReport(",".join(r.spreadsheet_key for r in reports))
    total.succeeded = all(r.succeeded for r in reports)
    total.idle = all(r.idle for r in reports)
    total.dry_run = any(r.dry_run for r in reports)
    total.follow_up = reports[-1].follow_up
    total.error = "; ".join(r.error for r in reports if r.error) or None
    for r in reports:
        total.counts.update(r.counts)
        total.api_calls.update(r.api_calls)
        total.plan += r.plan
        total.seconds += r.seconds
    return total


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
    known = (cursor.tab_ids if cursor else None) or {}
    grids, tab_ids = await tabs.read(gateway, sheet.key, [t.name for t in sheet.tabs] + owned, known)
    works = []
    for tab, grid in zip(sheet.tabs, grids, strict=False):
        work = (
            tabs.missing_work(tab)
            if grid is None
            else TabWork(tab, read(tab, grid), TabPlan(tab.name), grid=grid)
        )
        state = await _merge_input(
            sheet.key, tab, work.table, batch.touched.get(tab.model, set()), cursor is None, work
        )
        work.plan = merge(sheet, work.table, state, confirm_deletes=confirm_deletes)
        works.append(work)
    tabs.renamed(works)
    for work in works:
        report.plan += work.plan.describe() if dry_run else []
    if dry_run:
        for work in works:
            _count(report, work)
        return
    # A tab skipped for its header must see its database changes again once the header is fixed.
    # (A missing tab's changes wait by their pending marks instead, so the cursor moves on and the
    # cycles stay idle while the tab is gone.)
    skipped = any(w.plan.skipped and w.grid is not None for w in works)
    await guard()
    # Under the lease just renewed: a cycle still RUNNING now is a previous holder's that died.
    await sync_cycle.abandon_left_running(sheet.key)
    report.cycle_id = await sync_cycle.start(sheet.key)
    outcome = await apply(
        sheet,
        works,
        last_event_id=None if skipped else batch.last_event_id,
        event_gaps=batch.gaps,
        progress=progress,
        cycle_id=report.cycle_id,
    )
    for work in works:
        _count(report, work)
    report.counts["sheet->db"] = outcome.to_db
    report.counts["created"] = outcome.created_count
    report.counts["archived"] = outcome.archived
    report.counts["rechecked"] = outcome.rechecked
    report.counts["issues"] = len(outcome.issues)
    data = sheet_writes.values_data(works, outcome.created)
    if data:
        await guard()
        await gateway.write_values(sheet.key, data)
    owned_grids, added = _owned_grids(owned, grids[len(sheet.tabs) :], tab_ids)
    requests = await _structure(sheet, works, outcome, owned_grids, added)
    if requests:
        await guard()
        await gateway.batch_update(sheet.key, requests)
    report.follow_up = outcome.follow_up or any(w.plan.place for w in works)
    # A transaction that renamed references (or anchored new rows) changed what the sheet should
    # show beyond this cycle's plan: leave no version, so the next cycle reads instead of idling.
    await SyncCursor.filter(spreadsheet_key=sheet.key).update(
        drive_version=None if report.follow_up else version, tab_ids=tab_ids
    )


async def _merge_input(
    key: str, tab: TabMapping, table: Table, touched: set[int], first: bool, work: TabWork
) -> MergeInput:
    kind = KINDS[tab.model]
    rows = await SyncedRow.filter(spreadsheet_key=key, tab=tab.name).values_list(
        "record_id", "row_key", "snapshot", "pending", "anchor", "placed"
    )
    synced = {
        int(rid): Synced(int(rid), str(k), dict(snap), anchor, bool(placed))
        for rid, k, snap, _, anchor, placed in rows
    }
    work.synced_ids = set(synced)
    pending = {int(rid) for rid, _, _, p, _, placed in rows if p or not placed}
    known_keys = {s.row_key for s in synced.values()}
    unknown = {int(r.key) for r in table.rows if r.key and r.key.isdigit() and r.key not in known_keys}
    # Live records without a row yet: new ones, and those a new row may be the twin of (held
    # back from appending until that row's anchor is read back, a cycle after their event).
    rowless = Subquery(SyncedRow.filter(spreadsheet_key=key, record_type=tab.model).values("record_id"))
    unsynced = await kind.model.filter(archived_at=None, id__not_in=rowless).values_list("id", flat=True)
    wanted = None if first else touched | pending | unknown | {int(i) for i in unsynced}
    loaded = await kind.load_values(wanted) if wanted is None or wanted else {}
    work.loaded_ids = set(loaded)
    db = {rid: DbRecord(values, archived) for rid, (values, archived) in loaded.items()}
    return MergeInput(synced, db, {rid for rid in db if rid not in work.synced_ids})


def _owned_grids(
    names: list[str], grids: list[TabGrid | None], tab_ids: tabs.Known
) -> tuple[dict[str, TabGrid], set[str]]:
    """The worker-owned tabs as read, a new empty one for each staff deleted (to be added back)."""
    out, added = {}, set()
    for name, grid in zip(names, grids, strict=True):
        if grid is None:
            grid = owned_tabs.placeholder(name)
            added.add(name)
            tab_ids[name] = {"id": grid.sheet_id, "title": grid.title}
        out[name] = grid
    return out, added


def _owned_write(grid: TabGrid, wanted: list[list[Any]], added: set[str]) -> list[dict[str, Any]]:
    """Make a worker-owned tab show ``wanted``: nothing if it does, the tab itself first if deleted."""
    if grid.title in added:
        return [owned_tabs.add_sheet(grid, wanted), sheet_writes.set_grid(grid.sheet_id, wanted)]
    if issues_tab.same(grid.cells, wanted):
        return []
    return [sheet_writes.set_grid(grid.sheet_id, issues_tab.padded(wanted, grid.cells))]


async def _structure(
    sheet: SpreadsheetMapping,
    works: list[TabWork],
    outcome: DbOutcome,
    owned: dict[str, TabGrid],
    added: set[str],
) -> list[dict[str, Any]]:
    """Anchors, notes and worker-owned tabs on the rows as read, then appended rows."""
    requests: list[dict[str, Any]] = []
    for work in works:
        requests += sheet_writes.anchor_requests(work)
    requests += await _notes(sheet, works, outcome)
    open_issues = [_as_issue(i) for i in await SyncIssue.filter(spreadsheet_key=sheet.key, resolved_at=None)]
    requests += _owned_write(owned[sheet.issues_tab], issues_tab.rows(sheet, open_issues), added)
    if sheet.summary_tab:
        cursor = await SyncCursor.get(spreadsheet_key=sheet.key)
        requests += _owned_write(
            owned[sheet.summary_tab], await summary_tab.rows(cursor.last_change_at), added
        )
    for work in works:
        requests += sheet_writes.append_requests(work)
    # Guardrails ride in this same batchUpdate; they add a call only when one is missing.
    requests += guardrails.requests(sheet, works, owned)
    return requests


async def _notes(sheet: SpreadsheetMapping, works: list[TabWork], outcome: DbOutcome) -> list[dict[str, Any]]:
    """The worker's cell notes made equal to what is wanted now (issues, open conflicts).

    Compared with the notes read this cycle, not with what the worker believes it wrote, so a
    note that landed on the wrong cell (a sort while it was in flight) is moved next cycle.
    """
    by_tab = {w.tab.name: w for w in works}
    wanted: dict[tuple[str, int, int], str] = {}
    for issue in outcome.issues:
        work = by_tab.get(issue.tab)
        if work is None or issue.row_number is None:
            continue
        column = work.table.columns.get(issue.field) if issue.field else work.table.id_column
        if column is not None:
            wanted[(issue.tab, issue.row_number, column)] = f"동기화 오류: {issue.problem}"
    for c in await SyncConflict.filter(spreadsheet_key=sheet.key, resolved_at=None):
        work = by_tab.get(c.tab)
        row = work.positions().get(c.record_id) if work else None
        column = work.table.columns.get(c.field) if work else None
        if work is None or row is None or column is None:
            continue
        side = "시트" if c.applied_side == "SHEET" else "데이터베이스"
        wanted[(c.tab, row, column)] = (
            f"동기화 충돌 #{c.pk}: 시트 값 {c.sheet_value!r}, 데이터베이스 값 {c.database_value!r} "
            f"(이전 값 {c.base_value!r}). {side} 값을 적용했습니다. "
            "대시보드나 conflictResolve로 바꿀 수 있습니다."
        )
    present = {
        (w.tab.name, row, column): text
        for w in works
        for (row, column), text in w.table.notes.items()
        if text.startswith(NOTE_PREFIXES)
    }
    requests = []
    for tab_name, row, column in sorted(set(wanted) | set(present)):
        text = wanted.get((tab_name, row, column), "")
        if present.get((tab_name, row, column), "") != text:
            sheet_id = by_tab[tab_name].table.sheet_id
            requests.append(sheet_writes.set_note(sheet_id, row, column, text))
    return requests


def _as_issue(row: SyncIssue) -> Issue:
    return Issue(row.tab, row.row_number, row.column, row.value, row.code, row.problem, row.row_key)


def _count(report: CycleReport, work: TabWork) -> None:
    plan = work.plan
    report.counts["db->sheet"] += sum(1 for u in plan.updates if u.to_sheet)
    report.counts["conflicts"] += sum(len(u.conflicts) for u in plan.updates)
    report.counts["appended"] += len(plan.appends)
    report.counts["rows cleared"] += len(plan.clears)
    report.counts["anchored"] += len(plan.place)
    report.counts["held deletes"] += sum(1 for i in plan.issues if i.code == "MASS_DELETE_HELD")


async def _end_abandoned(report: CycleReport) -> None:
    if report.cycle_id is None:
        return  # stopped before it wrote anything: no cycle row to end
    try:
        await sync_cycle.finish(report.cycle_id, report.counts, report.error, abandoned=True)
    except Exception:
        logger.exception("could not record the abandoned cycle")


async def _record_failure(key: str, error: str, report: CycleReport) -> None:
    try:
        if report.cycle_id is not None:
            await sync_cycle.finish(report.cycle_id, report.counts, error)
        updated = await SyncCursor.filter(spreadsheet_key=key).update(last_cycle_at=_now(), last_error=error)
        if not updated:
            await SyncCursor.create(spreadsheet_key=key, last_cycle_at=_now(), last_error=error)
    except Exception:
        logger.exception("could not record the failed cycle")


def _now() -> datetime:
    return datetime.now(UTC)
