"""The eight reproduced ways the sync lost, misplaced or rewrote edits (issue 13), each made
deterministic with the emulator's faults (hold a request, lose an answer after applying it),
unmodified gspread for staff and a real cycle, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import ActorKind, RecordType
from models.errors import ValidationFailed
from models.program import Program
from models.school import School
from models.services import programs, schools
from models.services.write_scope import write_scope
from models.sync_state import SyncConflict
from sync.table import read
from tests.sync.conftest import World, add_line, add_program, add_school, until

READS = ("sheets.spreadsheets.values.batchGet", "sheets.spreadsheets.get")
WRITES = (
    "sheets.spreadsheets.values.batchUpdate",
    "sheets.spreadsheets.values.batchUpdateByDataFilter",
    "sheets.spreadsheets.batchUpdate",
)


async def _update(model: Any, service: Any, record_id: int, **changes: Any) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await service.update(scope, await model.get(id=record_id), changes)


async def _while_held(world: World, methods: tuple[str, ...], action: Callable[[], Any]) -> bool:
    """Run a cycle, hold the first of its ``methods`` requests before it is applied, act, let it go.

    False when the cycle sent none of them (the action then runs after the cycle).
    """
    rules = [world.emulator.faults.inject("hold", count=1, method=m) for m in methods]
    running = asyncio.create_task(world.cycle(ok=False))

    async def held() -> bool:
        return world.emulator.faults.holding() > 0 or running.done()

    await until(held, f"one of {methods} held")
    was_held = world.emulator.faults.holding() > 0
    for rule in rules:
        rule.rate = 0.0  # the cycle's later requests go through
    result = action()
    if asyncio.iscoroutine(result):
        await result
    world.emulator.faults.release()
    await running
    return was_held


def _consistent_rows(world: World, tab_name: str) -> list[tuple[str, dict[str, Any]]]:
    """(ID cell, parsed values) of every data row."""
    tab = next(t for t in world.sheet.tabs if t.name == tab_name)
    return [(r.key or "", r.values) for r in read(tab, world.rows(tab_name)).rows]


async def test_an_api_edit_during_the_read_becomes_a_conflict_not_an_overwrite(world: World) -> None:
    school_id = await add_school(students=143)
    await world.settle()
    world.tab("학교").update([["미사초"]], "C2", raw=False)  # something to sync: the cycle reads

    async def edit_both_sides() -> None:
        await _update(School, schools, school_id, students=501)
        world.tab("학교").update([["777"]], "F2", raw=False)

    assert await _while_held(world, READS, edit_both_sides)
    await world.settle()
    conflict = await SyncConflict.get(record_id=school_id, field="students")
    assert (conflict.sheet_value, conflict.database_value) == (777, 501)
    assert (await School.get(id=school_id)).students == 777  # the 학교 tab's policy: SHEET wins


async def test_a_lost_answer_to_a_delete_never_deletes_another_row(world: World) -> None:
    ids = [await add_school(code=f"75300{i:02d}", name=f"학교{i}") for i in range(4)]
    await world.settle()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.archive(scope, await School.get(id=ids[1]))
    for method in WRITES:  # applied, then the answer is a 503: the worker retries
        world.emulator.faults.inject("error", count=1, status=503, method=method, stage="after")
    await world.cycle(ok=False)
    world.emulator.faults.clear()
    await world.settle()
    assert [s.pk for s in await School.filter(archived_at=None).order_by("id")] == [ids[0], *ids[2:]]
    shown = {key for key, _ in _consistent_rows(world, "학교")}
    assert shown == {str(ids[0]), str(ids[2]), str(ids[3])}


async def test_an_api_append_never_overwrites_a_row_staff_typed_meanwhile(world: World) -> None:
    await add_school(code="7530001", name="가초등학교")
    await world.settle()
    await add_school(code="7530002", name="나초등학교")

    def staff_types_a_row() -> None:
        world.tab("학교").update([["", "7530003", "다초등학교", "중학교", "위례", "30"]], "A3", raw=False)

    assert await _while_held(world, WRITES, staff_types_a_row)
    await world.settle()
    codes = sorted(values["code"] for _, values in _consistent_rows(world, "학교"))
    assert codes == ["7530001", "7530002", "7530003"]
    assert await School.filter(code="7530003").count() == 1


async def test_twins_from_both_sides_keep_both_amounts(world: World) -> None:
    await add_program()
    await world.settle()
    await add_line(allocated=5_000_000)
    world.tab("예산").update([["", "P-001", "2025", "하남시", "7,000,000", "0", ""]], "A2", raw=False)
    await world.settle()
    kept: set[object] = set(await BudgetLine.all().values_list("allocated", flat=True))
    conflicts = await SyncConflict.filter(record_type=RecordType.BUDGET_LINE, field="allocated")
    kept |= {c.sheet_value for c in conflicts} | {c.database_value for c in conflicts}
    assert {5_000_000, 7_000_000} <= kept


async def test_reference_cells_follow_a_code_rename(world: World) -> None:
    school_id = await add_school(code="7530001")
    program_id = await add_program(code="P-001", school_code="7530001")
    await add_line(program_code="P-001")
    await world.settle()
    await _update(School, schools, school_id, code="7530009")
    await _update(Program, programs, program_id, code="P-009")
    await world.settle()
    [(_, program)] = _consistent_rows(world, "사업")
    assert program["school_code"] == "7530009" and program["code"] == "P-009"
    [(_, line)] = _consistent_rows(world, "예산")
    assert line["program_code"] == "P-009"


async def test_totals_beyond_2_53_never_exist_so_the_summary_settles(world: World) -> None:
    await add_program()
    await add_line(allocated=2**53 - 1)
    with contextlib.suppress(ValidationFailed):
        await add_line(allocated=2**53 - 1)
    await world.settle()
    summary = world.emulator.values(world.key, "'요약'", render="UNFORMATTED_VALUE")
    total = sum(line.allocated for line in await BudgetLine.filter(archived_at=None))
    assert summary[1][2] == total <= 2**53 - 1


async def test_a_sort_while_an_id_write_is_in_flight_never_misplaces_the_id(world: World) -> None:
    for i, name in enumerate(["가초", "나초", "다초"]):
        await add_school(code=f"753000{i}", name=name)
    await world.settle()
    world.tab("학교").update([["", "7530009", "라초", "중학교", "위례", "10"]], "A5", raw=False)

    def staff_sort() -> None:
        world.tab("학교").sort((3, "des"), range="A2:F5")

    held = [await _while_held(world, WRITES, staff_sort) for _ in range(3)]
    assert held[0]
    await world.settle()
    by_id = {str(s.pk): s.code for s in await School.all()}
    rows = _consistent_rows(world, "학교")
    assert sorted(key for key, _ in rows) == sorted(by_id)
    assert all(by_id[key] == values["code"] for key, values in rows), rows
    assert await School.filter(code="7530009").count() == 1


async def test_text_written_through_the_api_comes_back_unchanged(world: World) -> None:
    texts = ["\t=1+1", "\r=1+1", " leading space", "trailing space "]
    ids = [await add_school(code=f"753000{i}", name=f"학교{i}") for i in range(len(texts))]
    await world.settle()
    for school_id, text in zip(ids, texts, strict=True):
        await _update(School, schools, school_id, name=text)
    await world.settle()
    assert [s.name for s in await School.filter(id__in=ids).order_by("id")] == texts
    assert not await ChangeEvent.filter(actor_kind=ActorKind.SHEET_SYNC, record_id__in=ids).exists()
