"""A seeded, reproducible random interleaving of staff edits, API writes, faults and worker kills.

Used by the CI test (modest size) and by ``bench/sync_fuzz.py`` (larger). Staff act between
cycles and inside them: while one of the worker's requests is held by the emulator they sort,
insert, append and delete rows (and the held request is then let go, or lost). The worker is
killed at every stage, answers are lost after the request was applied, 429s and 5xx are
injected. After quiescence :func:`check` counts every broken promise (see :class:`Figures`).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import gspread
import requests

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import RecordType
from models.errors import ValidationFailed
from models.school import School
from models.services import budget_lines
from models.services.write_scope import write_scope
from models.sync_state import SyncConflict, SyncCursor, SyncedRow, SyncIssue
from sync import applier
from sync.cycle import CycleReport, run_cycle
from sync.emulator.faults import FaultKind, FaultStage
from sync.records import KINDS
from sync.table import formatted, read
from tests.sync.conftest import World, add_line, add_program, add_school, until
from tests.sync.cycle.test_faults_and_crashes import CrashingGateway, Killed

TAB_OF = {RecordType.SCHOOL: "학교", RecordType.BUDGET_LINE: "예산"}
EDITABLE = {
    RecordType.SCHOOL: ("name", "students", "district"),
    RecordType.BUDGET_LINE: ("allocated", "executed", "note"),
}
COLUMN = {"name": "C", "students": "F", "district": "E", "allocated": "E", "executed": "F", "note": "G"}
READ = "sheets.spreadsheets.get"
VALUES_WRITE = "sheets.spreadsheets.values.batchUpdateByDataFilter"
STRUCTURE_WRITE = "sheets.spreadsheets.batchUpdate"
METHODS = ["drive.files.get", READ, VALUES_WRITE, STRUCTURE_WRITE]
KILL_POINTS = [
    {"after": "read"},
    {"during": "transaction"},
    {"before": "values"},
    {"after": "values"},
    {"before": "structure"},
    {"after": "structure"},
]


@dataclass(frozen=True)
class Edit:
    order: float
    side: str  # "sheet" or "api"
    value: Any


@dataclass(frozen=True)
class Span:
    """One cycle: when it started and ended in the run's order, and whether its transaction
    committed (then everything it read has reached both sides or a conflict record)."""

    start: int
    end: int
    ok: bool


@dataclass
class Figures:
    """What a run did and every invariant's count of violations (all must be 0)."""

    operations: Counter[str] = field(default_factory=Counter)
    kills: int = 0
    faults: int = 0
    holds: int = 0
    cycles: int = 0
    failed_cycles: int = 0
    conflicts: int = 0
    lost_edits: int = 0
    misdirected_writes: int = 0
    divergent_fields: int = 0
    wrong_archives: int = 0
    duplicate_records: int = 0
    missing_records: int = 0
    open_issues: int = 0
    # Idle cycles that asked for more than the version check. Retries of that one request after an
    # injected fault are the same request (the gateway counts attempts), so methods are compared.
    noisy_idle_cycles: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def total_operations(self) -> int:
        return sum(self.operations.values())

    def violations(self) -> int:
        return (
            self.lost_edits
            + self.misdirected_writes
            + self.divergent_fields
            + self.wrong_archives
            + self.duplicate_records
            + self.missing_records
            + self.open_issues
            + self.noisy_idle_cycles
        )

    def summary(self) -> str:
        return (
            f"{self.total_operations} operations ({dict(sorted(self.operations.items()))}), "
            f"{self.cycles} cycles ({self.failed_cycles} failed), {self.kills} kills, {self.faults} faults, "
            f"{self.holds} held requests, {self.conflicts} conflicts; lost edits {self.lost_edits}, "
            f"misdirected writes {self.misdirected_writes}, divergent fields {self.divergent_fields}, "
            f"wrong archives {self.wrong_archives}, duplicate records {self.duplicate_records}, "
            f"missing records {self.missing_records}, open issues {self.open_issues}, "
            f"idle cycles beyond the version check {self.noisy_idle_cycles}"
        )


@dataclass
class Fuzz:
    world: World
    rng: random.Random
    order: int = 0
    edits: dict[tuple[RecordType, int, str], list[Edit]] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    archived_on_purpose: set[tuple[RecordType, int]] = field(default_factory=set)
    staff_codes: set[str] = field(default_factory=set)
    deleted_since_cycle: bool = False
    before_read: int | None = None  # the start of a cycle whose held read has not happened yet
    figures: Figures = field(default_factory=Figures)
    log: list[str] = field(default_factory=list)

    def tick(self) -> int:
        self.order += 1
        return self.order

    def note(self, record_type: RecordType, record_id: int, name: str, side: str, value: Any) -> None:
        order: float = self.tick()
        if side == "sheet" and self.before_read is not None:
            order = self.before_read - 0.5  # the held read will see it: it is before that cycle
        self.edits.setdefault((record_type, record_id, name), []).append(Edit(order, side, value))

    # ----- staff -----

    def staff(self, tab: str, action: str, *args: Any, **kwargs: Any) -> None:
        """A staff member's gspread call; like a person, they retry when Google hiccups.

        Like a person, they look before they retry: an error can come after Google applied the
        change (an injected fault meant for the worker may hit staff's call too), and deleting
        or inserting a row again would be a second, different change.
        """
        for _ in range(30):
            version = self._sheet_version()
            try:
                getattr(self.world.tab(tab), action)(*args, **kwargs)
                return
            except (gspread.exceptions.APIError, requests.RequestException):
                if self._sheet_version() != version:
                    return  # the change landed; only its answer was lost
        raise AssertionError(f"staff could not {action} on {tab}")

    def _sheet_version(self) -> int:
        spreadsheet = self.world.emulator.store.get(self.world.key)
        assert spreadsheet is not None
        return int(spreadsheet.version)

    def _rows_of(self, tab: str) -> dict[str, int]:
        """ID cell -> row number, from one read of the tab's filled rows."""
        found: dict[str, int] = {}
        for number, line in enumerate(self.world.rows(tab), start=1):
            if number > 1 and line and line[0]:
                found.setdefault(str(line[0]), number)
        return found

    def _row_of(self, tab: str, record_id: int) -> int | None:
        return self._rows_of(tab).get(str(record_id))

    async def _shown(self, record_type: RecordType) -> dict[int, int]:
        """Live records with a row: id -> row number."""
        rows = self._rows_of(TAB_OF[record_type])
        return {i: rows[str(i)] for i in await self._live(record_type) if str(i) in rows}

    def _value(self, name: str) -> tuple[Any, str]:
        """(API-term value, what staff type)."""
        r = self.rng
        if name == "students":
            v = r.randint(0, 3000)
            return v, f"{v:,}"
        if name == "allocated":
            v = r.randint(10_000, 20_000) * 1000
            return v, r.choice([f"{v:,}", f"{v:,}원", str(v)])
        if name == "executed":
            v = r.randint(0, 5_000) * 1000
            return v, f"{v:,}"
        if name == "district":
            district = r.choice(["미사", "위례", "감일", "신장", "덕풍"])
            return district, district
        text = f"{name}-{r.randint(0, 10**6)}"
        return text, text

    async def _live(self, record_type: RecordType) -> list[int]:
        ids = await KINDS[record_type].model.filter(archived_at=None).values_list("id", flat=True)
        return sorted(i for i in ids if (record_type, i) not in self.archived_on_purpose)

    async def staff_edit(self) -> None:
        record_type = self.rng.choice(list(TAB_OF))
        tab = TAB_OF[record_type]
        shown = await self._shown(record_type)
        if not shown:
            return
        record_id = self.rng.choice(sorted(shown))
        name = self.rng.choice(EDITABLE[record_type])
        value, typed = self._value(name)
        self.staff(tab, "update", [[typed]], f"{COLUMN[name]}{shown[record_id]}", raw=False)
        self.note(record_type, record_id, name, "sheet", value)
        self.log.append(f"staff edit {tab} #{record_id} {name}={value!r}")

    async def api_edit(self) -> None:
        record_type = self.rng.choice(list(TAB_OF))
        ids = await self._live(record_type)
        if not ids:
            return
        record_id = self.rng.choice(ids)
        name = self.rng.choice(EDITABLE[record_type])
        value, _ = self._value(name)
        kind = KINDS[record_type]
        try:
            async with write_scope(SYSTEM_ACTOR) as scope:
                await kind.service.update(scope, await kind.model.get(id=record_id), {name: value})
        except ValidationFailed:
            return
        self.note(record_type, record_id, name, "api", value)
        self.log.append(f"api edit {record_type} #{record_id} {name}={value!r}")

    async def staff_insert_blank(self) -> None:
        rows = len(self.world.rows("학교"))
        self.staff("학교", "insert_row", [""] * 6, index=self.rng.randint(2, max(2, rows)))
        self.log.append("staff insert blank row")

    async def staff_sort(self) -> None:
        # The whole width of each tab: 예산 runs to M (비고 in G, the stage and carry columns after it).
        tab, width = self.rng.choice([("학교", "F"), ("예산", "M")])
        rows = len(self.world.rows(tab))
        if rows > 2:
            column = self.rng.randint(2, 6)
            self.staff(tab, "sort", (column, self.rng.choice(["asc", "des"])), range=f"A2:{width}{rows}")
            self.log.append(f"staff sort {tab} by column {column}")

    async def staff_add(self) -> None:
        code = f"9{self.rng.randint(0, 10**6):06d}"
        if code in self.staff_codes or await School.exists(code=code):
            return
        rows = len(self.world.rows("학교"))
        line = ["", code, f"새학교{code}", "중학교", "위례", str(self.rng.randint(0, 900))]
        self.staff("학교", "update", [line], f"A{rows + 1}", raw=False)
        self.staff_codes.add(code)
        self.log.append(f"staff add school {code}")

    async def staff_delete(self) -> None:
        if self.deleted_since_cycle:
            return
        shown = await self._shown(RecordType.BUDGET_LINE)
        if len(shown) < 3:
            return
        record_id = self.rng.choice(sorted(shown))
        self.staff("예산", "delete_rows", shown[record_id])
        self.archived_on_purpose.add((RecordType.BUDGET_LINE, record_id))
        self.deleted_since_cycle = True
        self.log.append(f"staff delete 예산 #{record_id}")

    async def api_archive(self) -> None:
        ids = await self._live(RecordType.BUDGET_LINE)
        if len(ids) < 3:
            return
        record_id = self.rng.choice(ids)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.archive(scope, await BudgetLine.get(id=record_id))
        self.archived_on_purpose.add((RecordType.BUDGET_LINE, record_id))
        self.log.append(f"api archive #{record_id}")

    async def api_create(self) -> None:
        code = f"8{self.rng.randint(0, 10**6):06d}"
        if await School.exists(code=code):
            return
        await add_school(code=code, name=f"API학교{code}")
        self.log.append(f"api create school {code}")

    async def staff_bad_paste(self) -> None:
        """Paste text into a money cell, let a cycle report it, then type a valid amount."""
        shown = await self._shown(RecordType.BUDGET_LINE)
        if not shown:
            return
        record_id = self.rng.choice(sorted(shown))
        self.staff("예산", "update", [["많이"]], f"F{shown[record_id]}", raw=False)
        report = await self._cycle(self.world.gateway)
        if report.succeeded and self._row_of("예산", record_id):
            assert await SyncIssue.filter(resolved_at=None, code="NOT_A_NUMBER").exists(), str(report)
        row = self._row_of("예산", record_id)
        if row is None:
            return
        value, typed = self._value("executed")
        self.staff("예산", "update", [[typed]], f"F{row}", raw=False)
        self.note(RecordType.BUDGET_LINE, record_id, "executed", "sheet", value)
        self.log.append(f"staff bad paste then fix 예산 #{record_id} executed={value}")

    # ----- the worker, faults and staff inside cycles -----

    async def _cycle(self, gateway: Any, start: int | None = None) -> CycleReport:
        start = start or self.tick()
        before = await _committed_at(self.world.key)
        try:
            report = await run_cycle(gateway, self.world.sheet)
        finally:
            committed = await _committed_at(self.world.key) != before
            self.spans.append(Span(start, self.tick(), committed))
        self.figures.cycles += 1
        self.figures.failed_cycles += not report.succeeded
        if report.idle and not only_version_check(report):
            self.figures.noisy_idle_cycles += 1
            self.figures.details.append(f"idle cycle cost {report.total_calls} calls: {report}")
        if report.succeeded:
            self.deleted_since_cycle = False
        return report

    async def cycle(self) -> None:
        report = await self._cycle(self.world.gateway)
        self.log.append(f"cycle {'ok' if report.succeeded else 'FAILED'}")

    async def fault(self) -> None:
        method = self.rng.choice(METHODS)
        kind: FaultKind = self.rng.choice(["quota", "error", "latency", "drop"])
        stage: FaultStage = self.rng.choice(["before", "after"]) if kind == "error" else "before"
        count = self.rng.choice([1, 2, 7])  # 7 outlasts the retry budget: that cycle fails
        self.world.emulator.faults.inject(
            kind, count=count, status=503, delay=0.01, method=method, stage=stage
        )
        self.figures.faults += 1
        self.log.append(f"fault {kind} x{count} {stage} {method}")

    async def kill(self) -> None:
        where = self.rng.choice(KILL_POINTS)
        gateway = CrashingGateway(self.world.gateway, **{k: v for k, v in where.items() if k != "during"})
        try:
            with _killed_in_transaction(bool(where.get("during"))):
                await self._cycle(gateway)
        except Killed:
            self.figures.kills += 1
            self.log.append(f"worker killed {where}")
            return
        self.log.append(f"kill point {where} not reached")

    async def held(self) -> None:
        """Hold one of a cycle's requests, let staff move rows meanwhile, then release or lose it."""
        method = self.rng.choice([READ, VALUES_WRITE, STRUCTURE_WRITE])
        stage: FaultStage = self.rng.choice(["before", "after"])
        rule = self.world.emulator.faults.inject("hold", count=1, method=method, stage=stage)
        start = self.tick()
        running = asyncio.ensure_future(self._cycle(self.world.gateway, start))

        async def held() -> bool:
            return self.world.emulator.faults.holding(method) > 0 or running.done()

        await until(held, f"{method} held")
        rule.rate = 0.0
        was_held = not running.done()
        moves: list[Callable[[], Awaitable[None]]] = [
            self.staff_sort,
            self.staff_insert_blank,
            self.staff_add,
            self.staff_delete,
            self.api_edit,
        ]
        if was_held and method == READ and stage == "before":
            moves.append(self.staff_edit)  # the read has not happened: the cycle will see it
            self.before_read = start
        try:
            for _ in range(self.rng.randint(1, 3)):
                await self.rng.choice(moves)()
        finally:
            self.before_read = None
        lost = self.rng.random() < 0.3
        if lost:
            self.world.emulator.faults.clear()  # never answered (and never applied if held before)
        else:
            self.world.emulator.faults.release()
        await running
        self.figures.holds += was_held
        self.log.append(f"held {method} {stage}, then {'lost' if lost else 'released'}")

    async def step(self) -> None:
        moves: list[tuple[Callable[[], Awaitable[None]], int]] = [
            (self.staff_edit, 6),
            (self.api_edit, 6),
            (self.staff_insert_blank, 1),
            (self.staff_sort, 1),
            (self.staff_add, 1),
            (self.staff_delete, 1),
            (self.api_archive, 1),
            (self.api_create, 1),
            (self.staff_bad_paste, 1),
            (self.fault, 2),
            (self.cycle, 5),
            (self.kill, 2),
            (self.held, 3),
        ]
        move = self.rng.choices([m for m, _ in moves], weights=[w for _, w in moves])[0]
        self.figures.operations[move.__name__] += 1
        await move()

    async def quiesce(self) -> None:
        self.world.emulator.faults.clear()
        for _ in range(10):
            report = await self._cycle(self.world.gateway)
            assert report.succeeded, str(report) + "\n" + "\n".join(self.log[-30:])
            if await SyncIssue.filter(resolved_at=None, code="MASS_DELETE_HELD").exists():
                await run_cycle(self.world.gateway, self.world.sheet, confirm_deletes=True)
                continue
            if report.idle:
                return
        raise AssertionError("the worker did not settle:\n" + "\n".join(self.log[-30:]))


def only_version_check(report: CycleReport) -> bool:
    """An idle cycle asks Drive for the file's version and nothing else."""
    return set(report.api_calls) == {"drive.files.get"}


async def _committed_at(key: str) -> Any:
    """When a cycle's transaction last committed (it stamps the cursor inside the transaction)."""
    return await SyncCursor.filter(spreadsheet_key=key).values_list("last_success_at", flat=True)


@contextlib.contextmanager
def _killed_in_transaction(enabled: bool) -> Iterator[None]:
    """Kill the worker inside its database transaction (it rolls back, as a dead connection does)."""
    if not enabled:
        yield
        return
    original = applier._issues

    async def die(*args: Any, **kwargs: Any) -> None:
        raise Killed

    applier._issues = die
    try:
        yield
    finally:
        applier._issues = original


async def seed_world(count: int) -> None:
    for i in range(count):
        await add_school(code=f"75{i:05d}", name=f"학교{i}", students=100 + i)
    await add_program()
    for i in range(count):
        await add_line(allocated=10_000_000 + i * 1000, executed=1000 * i)


async def check(fuzz: Fuzz) -> Figures:
    """Count every broken promise after quiescence; the caller asserts they are all 0."""
    world, figures = fuzz.world, fuzz.figures
    idle = await run_cycle(world.gateway, world.sheet)
    if not idle.idle or idle.total_calls != 1:
        figures.noisy_idle_cycles += 1
        figures.details.append(f"the quiet worker's cycle: {idle}")
    issues = await SyncIssue.filter(resolved_at=None)
    figures.open_issues = len(issues)
    figures.details += [f"open issue {i.tab} row {i.row_number}: {i.code} {i.problem}" for i in issues]
    grids = await world.gateway.read(world.key, [t.name for t in world.sheet.tabs])
    for tab_mapping, grid in zip(world.sheet.tabs, grids, strict=True):
        await _check_tab(fuzz, tab_mapping, grid)
    await _check_edits(fuzz)
    figures.conflicts = await SyncConflict.all().count()
    for record_type, model in ((RecordType.SCHOOL, School), (RecordType.BUDGET_LINE, BudgetLine)):
        archived = [r.pk for r in await model.filter(archived_at__not_isnull=True)]
        wrong = [i for i in archived if (record_type, i) not in fuzz.archived_on_purpose]
        figures.wrong_archives += len(wrong)
        figures.details += [f"wrongly archived {record_type} #{i}" for i in wrong]
    for code in sorted(fuzz.staff_codes):
        count = await School.filter(code=code).count()
        figures.missing_records += count == 0
        figures.duplicate_records += max(0, count - 1)
        if count != 1:
            figures.details.append(f"staff-added school {code}: {count} records")
    return figures


async def _check_tab(fuzz: Fuzz, tab_mapping: Any, grid: Any) -> None:
    figures = fuzz.figures
    kind = KINDS[tab_mapping.model]
    table = read(tab_mapping, grid)
    live = {i: v for i, (v, archived) in (await kind.load_values(None)).items() if not archived}
    anchors = {
        int(record_id): anchor
        for record_id, anchor in await SyncedRow.filter(tab=tab_mapping.name).values_list(
            "record_id", "anchor"
        )
    }
    keys = [row.key for row in table.rows]
    shown = {int(k) for k in keys if k and k.isdigit()}
    figures.missing_records += len(set(live) - shown)
    figures.duplicate_records += len(keys) - len(set(keys)) + keys.count(None)
    for record_id in set(live) - shown:
        figures.details.append(f"{tab_mapping.name}: record #{record_id} has no row")
    for row in table.rows:
        record_id = int(row.key) if row.key and row.key.isdigit() else -1
        if record_id not in live:
            figures.details.append(f"{tab_mapping.name} row {row.number}: ID {row.key!r} is no live record")
            figures.duplicate_records += 1
            continue
        if row.anchors != [anchors.get(record_id)]:
            figures.misdirected_writes += 1
            figures.details.append(
                f"{tab_mapping.name} row {row.number} (ID {row.key}): anchors {row.anchors}, "
                f"record's {anchors.get(record_id)}"
            )
        for column in tab_mapping.columns:
            shown_value, wanted = row.values.get(column.field), live[record_id][column.field]
            if column.worker_owned:  # never read back as a value: compare what the worker writes
                shown_value = (
                    wanted
                    if row.raw.get(column.field) == formatted(tab_mapping, column.field, wanted)
                    else row.raw.get(column.field)
                )
            if shown_value != wanted:
                figures.divergent_fields += 1
                figures.details.append(
                    f"{tab_mapping.name} #{record_id} {column.field}: sheet {shown_value!r}, db {wanted!r}"
                )


async def _check_edits(fuzz: Fuzz) -> None:
    """Every edit is the final value, superseded knowingly, or kept in a conflict record."""
    figures = fuzz.figures
    for (record_type, record_id, name), edits in fuzz.edits.items():
        if (record_type, record_id) in fuzz.archived_on_purpose:
            continue
        record = await KINDS[record_type].model.get_or_none(id=record_id)
        if record is None or record.archived_at is not None:
            continue
        final = getattr(record, name)
        conflicts = await SyncConflict.filter(record_type=record_type, record_id=record_id, field=name)
        kept = {c.sheet_value for c in conflicts} | {c.database_value for c in conflicts}
        for edit in edits:
            if edit.value == final or edit.value in kept:
                continue
            if any(x.side == edit.side and x.order > edit.order for x in edits):
                continue  # the same side changed it again
            if any(x.order > edit.order and _settled_between(fuzz, edit.order, x.order) for x in edits):
                continue  # changed again after a cycle had synced it: a deliberate overwrite
            figures.lost_edits += 1
            figures.details.append(f"lost edit {record_type} #{record_id} {name}: {edit} (final {final!r})")


def _settled_between(fuzz: Fuzz, after: float, before: float) -> bool:
    return any(s.ok and s.start > after and s.end < before for s in fuzz.spans)
