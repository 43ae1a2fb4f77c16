"""A seeded, reproducible random interleaving of staff edits, API writes, faults and worker kills.

Used by the CI test (modest size) and by ``bench/sync_fuzz.py`` (larger). After quiescence the
sheet and the database must agree, and every edit must be applied or recorded as a conflict.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import gspread
import requests

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import RecordType
from models.school import School
from models.services import budget_lines
from models.services.write_scope import write_scope
from models.sync_state import SyncConflict, SyncIssue
from sync.cycle import run_cycle
from sync.emulator.faults import FaultKind
from sync.merge import DbRecord
from sync.records import KINDS
from sync.table import read
from tests.sync.conftest import World, add_line, add_program, add_school
from tests.sync.cycle.test_faults_and_crashes import CrashingGateway, Killed

TAB_OF = {RecordType.SCHOOL: "학교", RecordType.BUDGET_LINE: "예산"}
EDITABLE = {
    RecordType.SCHOOL: ("name", "students", "district"),
    RecordType.BUDGET_LINE: ("allocated", "executed", "note"),
}
COLUMN = {"name": "C", "students": "F", "district": "E", "allocated": "E", "executed": "F", "note": "G"}
METHODS = [
    "drive.files.get",
    "sheets.spreadsheets.values.batchGet",
    "sheets.spreadsheets.values.batchUpdate",
    "sheets.spreadsheets.batchUpdate",
]


@dataclass
class Edit:
    order: int
    side: str  # "sheet" or "api"
    value: Any
    epoch: int  # successful, complete cycles before this edit


@dataclass
class Fuzz:
    world: World
    rng: random.Random
    epoch: int = 0
    order: int = 0
    edits: dict[tuple[RecordType, int, str], dict[str, Edit]] = field(default_factory=dict)
    gone: set[tuple[RecordType, int]] = field(default_factory=set)
    deleted_since_cycle: bool = False
    log: list[str] = field(default_factory=list)

    def note(self, record_type: RecordType, record_id: int, name: str, side: str, value: Any) -> None:
        self.order += 1
        slot = self.edits.setdefault((record_type, record_id, name), {})
        slot[side] = Edit(self.order, side, value, self.epoch)

    # ----- staff -----

    def staff(self, tab: str, action: str, *args: Any, **kwargs: Any) -> None:
        """A staff member's gspread call; like a person, they retry when Google hiccups."""
        for _ in range(30):
            try:
                getattr(self.world.tab(tab), action)(*args, **kwargs)
                return
            except (gspread.exceptions.APIError, requests.RequestException):
                continue
        raise AssertionError(f"staff could not {action} on {tab}")

    def _rows(self, tab: str) -> list[list[Any]]:
        return self.world.rows(tab)

    def _row_of(self, tab: str, record_id: int) -> int | None:
        for number, line in enumerate(self._rows(tab), start=1):
            if number > 1 and line and line[0] == str(record_id):
                return number
        return None

    def _value(self, name: str) -> tuple[Any, str]:
        """(API-term value, what staff type)."""
        r = self.rng
        if name == "students":
            v = r.randint(0, 3000)
            return v, f"{v:,}"
        if name in ("allocated",):
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
        model = KINDS[record_type].model
        ids = await model.filter(archived_at=None).values_list("id", flat=True)
        return sorted(i for i in ids if (record_type, i) not in self.gone)

    async def staff_edit(self) -> None:
        record_type = self.rng.choice(list(TAB_OF))
        tab = TAB_OF[record_type]
        ids = [i for i in await self._live(record_type) if self._row_of(tab, i)]
        if not ids:
            return
        record_id = self.rng.choice(ids)
        name = self.rng.choice(EDITABLE[record_type])
        value, typed = self._value(name)
        row = self._row_of(tab, record_id)
        self.staff(tab, "update", [[typed]], f"{COLUMN[name]}{row}", raw=False)
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
        async with write_scope(SYSTEM_ACTOR) as scope:
            await kind.service.update(scope, await kind.model.get(id=record_id), {name: value})
        self.note(record_type, record_id, name, "api", value)
        self.log.append(f"api edit {record_type} #{record_id} {name}={value!r}")

    async def staff_insert_blank(self) -> None:
        rows = len(self._rows("학교"))
        self.staff("학교", "insert_row", [""] * 6, index=self.rng.randint(2, max(2, rows)))
        self.log.append("staff insert blank row")

    async def staff_sort(self) -> None:
        rows = len(self._rows("학교"))
        if rows > 2:
            column = self.rng.randint(2, 6)
            self.staff("학교", "sort", (column, self.rng.choice(["asc", "des"])), range=f"A2:F{rows}")
            self.log.append(f"staff sort by column {column}")

    async def staff_add(self) -> None:
        code = f"9{self.rng.randint(0, 10**6):06d}"
        if await School.exists(code=code):
            return
        rows = len(self._rows("학교"))
        line = ["", code, f"새학교{code}", "중학교", "위례", str(self.rng.randint(0, 900))]
        self.staff("학교", "update", [line], f"A{rows + 1}", raw=False)
        self.log.append(f"staff add school {code}")

    async def staff_delete(self) -> None:
        if self.deleted_since_cycle:
            return
        ids = [i for i in await self._live(RecordType.BUDGET_LINE) if self._row_of("예산", i)]
        if len(ids) < 3:
            return
        record_id = self.rng.choice(ids)
        self.staff("예산", "delete_rows", self._row_of("예산", record_id) or 0)
        self.gone.add((RecordType.BUDGET_LINE, record_id))
        self.deleted_since_cycle = True
        self.log.append(f"staff delete 예산 #{record_id}")

    async def api_archive(self) -> None:
        ids = await self._live(RecordType.BUDGET_LINE)
        if len(ids) < 3:
            return
        record_id = self.rng.choice(ids)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.archive(scope, await BudgetLine.get(id=record_id))
        self.gone.add((RecordType.BUDGET_LINE, record_id))
        self.log.append(f"api archive #{record_id}")

    async def staff_bad_paste(self) -> None:
        """Paste text into a money cell, let a cycle report it, then type a valid amount."""
        ids = [i for i in await self._live(RecordType.BUDGET_LINE) if self._row_of("예산", i)]
        if not ids:
            return
        record_id = self.rng.choice(ids)
        row = self._row_of("예산", record_id)
        self.staff("예산", "update", [["많이"]], f"F{row}", raw=False)
        report = await run_cycle(self.world.gateway, self.world.sheet)
        if report.succeeded:
            assert await SyncIssue.filter(resolved_at=None, code="NOT_A_NUMBER").exists(), str(report)
        row = self._row_of("예산", record_id)
        value, typed = self._value("executed")
        self.staff("예산", "update", [[typed]], f"F{row}", raw=False)
        self.note(RecordType.BUDGET_LINE, record_id, "executed", "sheet", value)
        self.log.append(f"staff bad paste then fix 예산 #{record_id} executed={value}")

    # ----- worker and faults -----

    async def fault(self) -> None:
        method = self.rng.choice(METHODS)
        kind: FaultKind = self.rng.choice(["quota", "error", "latency", "drop"])
        count = self.rng.choice([1, 2, 7])  # 7 outlasts the retry budget: that cycle fails
        self.world.emulator.faults.inject(kind, count=count, status=503, delay=0.01, method=method)
        self.log.append(f"fault {kind} x{count} on {method}")

    async def cycle(self) -> None:
        report = await run_cycle(self.world.gateway, self.world.sheet)
        self.log.append(f"cycle {'ok' if report.succeeded else 'FAILED'}")
        if report.succeeded:
            self.epoch += 1
            self.deleted_since_cycle = False

    async def kill(self) -> None:
        where = self.rng.choice([{"after": "values"}, {"before": "values"}, {"before": "structure"}])
        try:
            await run_cycle(CrashingGateway(self.world.gateway, **where), self.world.sheet)
        except Killed:
            self.log.append(f"worker killed {where}")
            return
        self.log.append(f"kill point {where} not reached")

    async def step(self) -> None:
        moves = [
            (self.staff_edit, 6),
            (self.api_edit, 6),
            (self.staff_insert_blank, 1),
            (self.staff_sort, 1),
            (self.staff_add, 1),
            (self.staff_delete, 1),
            (self.api_archive, 1),
            (self.staff_bad_paste, 1),
            (self.fault, 2),
            (self.cycle, 5),
            (self.kill, 2),
        ]
        move = self.rng.choices([m for m, _ in moves], weights=[w for _, w in moves])[0]
        await move()

    async def quiesce(self) -> None:
        self.world.emulator.faults.clear()
        for _ in range(8):
            report = await run_cycle(self.world.gateway, self.world.sheet)
            assert report.succeeded, str(report)
            if await SyncIssue.filter(resolved_at=None, code="MASS_DELETE_HELD").exists():
                await run_cycle(self.world.gateway, self.world.sheet, confirm_deletes=True)
                continue
            if report.idle:
                return
        raise AssertionError("the worker did not settle:\n" + "\n".join(self.log[-30:]))


async def seed_world(count: int) -> None:
    for i in range(count):
        await add_school(code=f"75{i:05d}", name=f"학교{i}", students=100 + i)
    await add_program()
    for i in range(count):
        await add_line(allocated=10_000_000 + i * 1000, executed=1000 * i)


async def check(fuzz: Fuzz) -> None:
    """Sheet and database agree; every edit is applied or recorded as a conflict."""
    world = fuzz.world
    assert await SyncIssue.filter(resolved_at=None).count() == 0, [i.problem for i in await SyncIssue.all()]
    for tab_mapping in world.sheet.tabs:
        kind = KINDS[tab_mapping.model]
        table = read(tab_mapping, world.rows(tab_mapping.name))
        keys = [r.key for r in table.rows]
        assert None not in keys, f"{tab_mapping.name}: a data row without ID"
        assert len(keys) == len(set(keys)), f"{tab_mapping.name}: duplicate IDs"
        live = {i: DbRecord(v, a) for i, (v, a) in (await kind.load_values(None)).items() if not a}
        assert {int(k or 0) for k in keys} == set(live), f"{tab_mapping.name}: rows != live records"
        for row in table.rows:
            wanted = {c.field: live[int(row.key or 0)].values[c.field] for c in tab_mapping.columns}
            assert row.values == wanted, f"{tab_mapping.name} row {row.number}: {row.values} != {wanted}"
    for (record_type, record_id, name), sides in fuzz.edits.items():
        if (record_type, record_id) in fuzz.gone:
            continue
        model = KINDS[record_type].model
        record = await model.get_or_none(id=record_id)
        if record is None or record.archived_at is not None:
            continue
        final = getattr(record, name)
        values = {e.value for e in sides.values()}
        assert final in values, f"{record_type} #{record_id} {name}: {final!r} is none of the edits {sides}"
        latest = max(sides.values(), key=lambda e: e.order)
        if final != latest.value:
            other = min(sides.values(), key=lambda e: e.order)
            concurrent = latest.epoch == other.epoch
            conflict = await SyncConflict.filter(
                record_id=record_id, record_type=record_type, field=name
            ).exists()
            assert concurrent and conflict, (
                f"{record_type} #{record_id} {name}: later edit {latest} lost without a conflict"
            )
