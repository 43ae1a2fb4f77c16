"""Reverting a real sync cycle (gspread against the emulator) on both engines."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import pytest
from gspread.utils import ValueInputOption

from models import sync_cycle
from models.actor import SYSTEM_ACTOR, Actor
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import UNSYNCED_RECORD_TYPES, ActorKind, ChangeAction, RecordType, Role
from models.errors import ErrorCode, ValidationFailed
from models.program import Program
from models.program_session import ProgramSession
from models.school import School
from models.services import program_sessions, schools
from models.services.cycle_revert import ARCHIVED, FAMILIES, revert
from models.services.locking import LOCK_ORDER
from models.services.write_scope import write_scope
from models.sync_cycle import SUCCEEDED, SyncCycle
from tests.sync.conftest import World, add_line, add_program, add_school

ADMIN = Actor(ActorKind.API_TOKEN, "시스템 관리자", Role.ADMIN)


async def _paste_cycle(world: World, students: list[int]) -> int:
    """Staff paste a column of 학생수 over the first rows; a real cycle takes it in."""
    world.tab("학교").update([[str(n)] for n in students], f"F2:F{1 + len(students)}", raw=False)
    await world.cycle()
    cycle = await SyncCycle.filter(to_database__gt=0).order_by("-id").first()
    assert cycle is not None and cycle.outcome == SUCCEEDED
    return int(cycle.pk)


async def _students() -> list[int]:
    return [s.students for s in await School.all().order_by("id")]


async def _three_schools(world: World) -> list[int]:
    ids = [await add_school(code=f"75300{i}", name=f"학교{i}", students=100 + i) for i in range(3)]
    await world.settle()
    return ids


async def test_the_cycles_events_carry_its_id_and_counts(world: World) -> None:
    ids = await _three_schools(world)
    cycle_id = await _paste_cycle(world, [1, 2, 3])
    events = await ChangeEvent.filter(cycle_id=cycle_id).order_by("id")
    assert [(e.record_id, e.changes) for e in events] == [
        (ids[0], {"students": [100, 1]}),
        (ids[1], {"students": [101, 2]}),
        (ids[2], {"students": [102, 3]}),
    ]
    cycle = await SyncCycle.get(id=cycle_id)
    assert (cycle.to_database, cycle.created, cycle.finished_at is not None) == (3, 0, True)
    # Writes outside a cycle carry none.
    assert await ChangeEvent.filter(cycle_id=None, action=ChangeAction.CREATE).count() == 3


async def test_revert_puts_values_back_in_the_database_and_then_the_sheet(world: World) -> None:
    ids = await _three_schools(world)
    cycle_id = await _paste_cycle(world, [1, 2, 3])
    assert await _students() == [1, 2, 3]
    result = await revert(cycle_id, actor=ADMIN)
    assert result.conflicts == []
    assert sorted((r.record_id, r.field, r.value_now, r.value_back) for r in result.restored) == [
        (ids[0], "students", 1, 100),
        (ids[1], "students", 2, 101),
        (ids[2], "students", 3, 102),
    ]
    assert await _students() == [100, 101, 102]
    # New audited changes by the admin, not a rewrite: the cycle's own events are still there.
    assert await ChangeEvent.filter(cycle_id=cycle_id).count() == 3
    undo = await ChangeEvent.filter(actor_name="시스템 관리자").order_by("id")
    assert [e.changes for e in undo] == [
        {"students": [1, 100]},
        {"students": [2, 101]},
        {"students": [3, 102]},
    ]
    await world.settle()
    assert [row[5] for row in world.rows("학교")[1:4]] == ["100", "101", "102"]
    assert await _students() == [100, 101, 102]


async def test_a_later_edit_is_a_conflict_and_kept(world: World) -> None:
    ids = await _three_schools(world)
    cycle_id = await _paste_cycle(world, [1, 2, 3])
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=ids[1]), {"students": 777})
    result = await revert(cycle_id, actor=ADMIN)
    assert [(c.record_id, c.field, c.value_now, c.value_back) for c in result.conflicts] == [
        (ids[1], "students", 777, 101)
    ]
    assert await _students() == [100, 777, 102]
    await world.settle()
    assert [row[5] for row in world.rows("학교")[1:4]] == ["100", "777", "102"]


async def test_a_second_revert_is_refused(world: World) -> None:
    await _three_schools(world)
    cycle_id = await _paste_cycle(world, [1, 2, 3])
    await revert(cycle_id, actor=ADMIN)
    before = await ChangeEvent.all().count()
    with pytest.raises(ValidationFailed) as refused:
        await revert(cycle_id, actor=ADMIN)
    (error,) = refused.value.errors
    assert error.code is ErrorCode.ALREADY_REVERTED and "이미 되돌렸습니다" in error.message
    assert await ChangeEvent.all().count() == before
    assert (await SyncCycle.get(id=cycle_id)).reverted_by == "token:시스템 관리자"


async def test_a_running_cycle_is_refused_until_it_has_ended(world: World) -> None:
    await _three_schools(world)
    running = await sync_cycle.start(world.key)  # its transaction may still commit
    with pytest.raises(ValidationFailed) as refused:
        await revert(running, actor=ADMIN)
    (error,) = refused.value.errors
    assert error.code is ErrorCode.CYCLE_RUNNING and "진행 중" in error.message
    assert (await SyncCycle.get(id=running)).reverted_at is None  # not marked done: still revertible
    await sync_cycle.abandon_left_running(world.key)
    assert (await revert(running, actor=ADMIN)).restored == []  # abandoned before committing: nothing


async def test_an_unknown_cycle_is_refused(db: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await revert(999, actor=ADMIN)
    assert refused.value.errors[0].code is ErrorCode.NOT_FOUND
    assert "#999" in refused.value.errors[0].message


async def test_dry_run_writes_nothing(world: World) -> None:
    ids = await _three_schools(world)
    cycle_id = await _paste_cycle(world, [1, 2, 3])
    before = await ChangeEvent.all().count()
    result = await revert(cycle_id, actor=ADMIN, dry_run=True)
    assert result.dry_run and len(result.restored) == 3 and result.restored[0].record_id == ids[0]
    assert await _students() == [1, 2, 3]
    assert await ChangeEvent.all().count() == before
    assert (await SyncCycle.get(id=cycle_id)).reverted_at is None
    assert len((await revert(cycle_id, actor=ADMIN)).restored) == 3  # still revertible for real


async def test_records_the_cycle_created_are_archived_unless_edited_later(world: World) -> None:
    await _three_schools(world)
    world.tab("학교").append_rows(
        [
            ["", "7530101", "새초등학교", "초등학교", "위례", "10"],
            ["", "7530102", "둘초등학교", "초등학교", "감일", "20"],
        ],
        value_input_option=ValueInputOption.user_entered,
    )
    await world.cycle()
    created = await ChangeEvent.filter(action=ChangeAction.CREATE, cycle_id__not_isnull=True)
    assert len(created) == 2
    cycle_id = created[0].cycle_id
    assert cycle_id is not None
    kept, gone = (await School.get(code="7530102")), (await School.get(code="7530101"))
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, kept, {"students": 25})
    result = await revert(cycle_id, actor=ADMIN)
    assert [(r.record_id, r.field, r.value_back) for r in result.restored] == [(gone.pk, ARCHIVED, True)]
    assert [(c.record_type, c.record_id, c.field) for c in result.conflicts] == [
        (RecordType.SCHOOL, kept.pk, ARCHIVED)
    ]
    assert (await School.get(id=gone.pk)).archived_at is not None
    assert (await School.get(id=kept.pk)).archived_at is None
    await world.settle()
    assert "7530101" not in [row[1] for row in world.rows("학교") if len(row) > 1]


async def test_a_renamed_school_code_comes_back_with_the_programs_naming_it(world: World) -> None:
    school_id = await add_school(code="7530001")
    program_id = await add_program(code="P-001", school_code="7530001")
    await add_line(program_code="P-001", allocated=5_000_000)
    await world.settle()
    world.tab("학교").update([["7539999"]], "B2", raw=False)
    await world.cycle()
    cycle = await SyncCycle.filter(to_database__gt=0).order_by("-id").first()
    assert cycle is not None
    assert (await School.get(id=school_id)).code == "7539999"
    derived = await ChangeEvent.filter(cycle_id=cycle.pk, record_type=RecordType.PROGRAM)
    assert [e.changes for e in derived] == [{"school_code": ["7530001", "7539999"]}]
    result = await revert(cycle.pk, actor=ADMIN)
    assert result.conflicts == []
    assert [(r.record_id, r.field, r.value_back) for r in result.restored] == [(school_id, "code", "7530001")]
    assert (await School.get(id=school_id)).code == "7530001"
    program = await Program.get(id=program_id)
    assert program.school_id == school_id
    # Reverted at once, while the worker's write of the new code to 사업 is not yet confirmed.
    await world.settle()
    assert world.rows("학교")[1][1] == "7530001" and world.rows("사업")[1][4] == "7530001"


async def test_pasted_amounts_come_back_in_whole_won(world: World) -> None:
    await add_program(code="P-001")
    lines = [await add_line(program_code="P-001", allocated=5_000_000 + i, executed=i) for i in range(3)]
    await world.settle()
    world.tab("예산").update([["9000000"], ["9000000"], ["9000000"]], "E2:E4", raw=False)
    await world.cycle()
    cycle = await SyncCycle.filter(to_database__gt=0).order_by("-id").first()
    assert cycle is not None and cycle.to_database == 3
    result = await revert(cycle.pk, actor=ADMIN)
    assert len(result.restored) == 3 and result.conflicts == []
    amounts = [line.allocated for line in await BudgetLine.filter(id__in=lines).order_by("id")]
    assert amounts == [5_000_000, 5_000_001, 5_000_002] and all(type(a) is int for a in amounts)
    await world.settle()
    # The sheet shows them in the won format the guardrails put on the column (`#,##0`).
    assert [row[4] for row in world.rows("예산")[1:4]] == ["5,000,000", "5,000,001", "5,000,002"]


async def test_a_record_the_cycle_archived_is_restored_and_its_row_comes_back(world: World) -> None:
    ids = [await add_school(code=f"75300{i:02d}", name=f"학교{i}") for i in range(6)]
    await world.settle()
    world.tab("학교").delete_rows(3)
    await world.cycle()
    cycle = await SyncCycle.filter(archived=1).order_by("-id").first()
    assert cycle is not None
    assert (await School.get(id=ids[1])).archived_at is not None
    result = await revert(cycle.pk, actor=ADMIN)
    assert [(r.record_id, r.field, r.value_now, r.value_back) for r in result.restored] == [
        (ids[1], ARCHIVED, True, False)
    ]
    assert (await School.get(id=ids[1])).archived_at is None
    await world.settle()
    assert str(ids[1]) in [row[0] for row in world.rows("학교") if row]


async def test_two_reverts_of_one_cycle_at_once_put_values_back_once(world: World) -> None:
    await _three_schools(world)
    cycle_id = await _paste_cycle(world, [1, 2, 3])
    outcomes = await asyncio.gather(
        revert(cycle_id, actor=ADMIN), revert(cycle_id, actor=ADMIN), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(refused) == 1 and refused[0].errors[0].code is ErrorCode.ALREADY_REVERTED
    assert await ChangeEvent.filter(actor_name="시스템 관리자").count() == 3
    assert await _students() == [100, 101, 102]


def test_every_record_type_can_be_reverted() -> None:
    # A new record family the sync writes must be declared here too, or its cycles cannot be undone.
    # Agreements, supplements, allocations and fiscal-year closings have no sheet tab: no cycle
    # writes them (a closing is written by `eduhub budget close-year` only).
    assert set(FAMILIES) == set(RecordType) - UNSYNCED_RECORD_TYPES == set(LOCK_ORDER)


async def test_a_session_paste_comes_back_with_its_date_and_tenths_of_hours(world: World) -> None:
    await add_program("P-001")
    async with write_scope(SYSTEM_ACTOR) as scope:
        fields = {
            "program_code": "P-001",
            "held_on": date(2025, 4, 10),
            "middle": 25,
            "hours": Decimal("2.5"),
        }
        session = await program_sessions.create(scope, fields)  # type: ignore[arg-type]
    await world.settle()
    world.tab("운영 실적").update([["2025-05-01", "강당", "", "0", "99"]], "C2:G2", raw=False)
    world.tab("운영 실적").update([["1.5"]], "J2", raw=False)
    await world.cycle()
    cycle = await SyncCycle.filter(to_database__gt=0).order_by("-id").first()
    assert cycle is not None
    changed = await ProgramSession.get(id=session.pk)
    assert (changed.held_on, changed.middle, changed.hours) == (date(2025, 5, 1), 99, Decimal("1.5"))
    result = await revert(cycle.pk, actor=ADMIN)
    assert result.conflicts == []
    assert sorted(r.field for r in result.restored) == ["held_on", "hours", "middle", "place"]
    back = await ProgramSession.get(id=session.pk)
    assert (back.held_on, back.place, back.middle, back.hours) == (date(2025, 4, 10), "", 25, Decimal("2.5"))
    await world.settle()
    row = world.rows("운영 실적")[1]
    assert (row[2], row[3], row[6], row[9]) == ("2025-04-10", "", "25", "2.5")
