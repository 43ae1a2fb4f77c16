"""Conflicts keep both values with a note; bad cells hold their row and clear once fixed."""

from __future__ import annotations

import pytest

from models.actor import SYSTEM_ACTOR, Actor
from models.enums import ActorKind, Role
from models.errors import RecordNotFound, ValidationFailed
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_state import SyncConflict, SyncIssue
from sync.conflicts import resolve_conflict
from tests.sync.conftest import World, add_line, add_program, add_school

STAFF = Actor(ActorKind.API_TOKEN, "담당자", Role.STAFF)


async def _both_change_students(world: World) -> int:
    school_id = await add_school(students=500)
    await world.settle()
    world.tab("학교").update([["600"]], "F2", raw=False)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=school_id), {"students": 650})
    await world.cycle()
    return school_id


async def test_different_changes_make_a_conflict_sheet_wins_with_a_note(world: World) -> None:
    school_id = await _both_change_students(world)
    assert (await School.get(id=school_id)).students == 600
    conflict = await SyncConflict.get(record_id=school_id)
    assert (conflict.base_value, conflict.sheet_value, conflict.database_value) == (500, 600, 650)
    assert conflict.applied_side == "SHEET" and conflict.resolved_at is None
    assert "충돌" in world.note("학교", "F2") and "650" in world.note("학교", "F2")


async def test_resolving_a_conflict_applies_the_kept_value_and_clears_the_note(world: World) -> None:
    school_id = await _both_change_students(world)
    conflict = await SyncConflict.get(record_id=school_id)
    resolved = await resolve_conflict(conflict.pk, "DATABASE", STAFF)
    assert resolved.resolved_at is not None and resolved.resolution == "DATABASE"
    assert (await School.get(id=school_id)).students == 650
    await world.cycle()
    await world.settle()
    assert world.rows("학교")[1][5] == "650"
    assert world.note("학교", "F2") == ""


async def test_resolve_conflict_refuses_bad_input(world: World) -> None:
    with pytest.raises(RecordNotFound):
        await resolve_conflict(12345, "SHEET", STAFF)
    with pytest.raises(ValidationFailed):
        await resolve_conflict(1, "BOTH", STAFF)


async def test_bad_cell_holds_its_row_only_and_is_shown_everywhere(world: World) -> None:
    a = await add_school(code="7530001", students=1)
    b = await add_school(code="7530002", students=2)
    await world.settle()
    world.tab("학교").update([["많음"], ["22"]], "F2:F3", raw=False)
    await world.cycle()
    assert (await School.get(id=a)).students == 1  # held back, nothing lost
    assert (await School.get(id=b)).students == 22  # the other row still syncs
    [issue] = await SyncIssue.filter(resolved_at=None)
    assert (issue.tab, issue.row_number, issue.column, issue.value) == ("학교", 2, "students", "많음")
    assert "숫자" in issue.problem
    assert world.rows("동기화 오류")[1][:4] == ["학교", "2", "학생수", "많음"]
    assert "숫자" in world.note("학교", "F2")
    world.tab("학교").update([["11"]], "F2", raw=False)
    await world.cycle()
    await world.settle()
    assert (await School.get(id=a)).students == 11
    assert await SyncIssue.filter(resolved_at=None).count() == 0
    assert world.rows("동기화 오류") == [["탭", "행", "열", "값", "문제"]]
    assert world.note("학교", "F2") == ""


async def test_a_held_row_keeps_its_database_change_until_fixed(world: World) -> None:
    a = await add_school(students=1)
    await world.settle()
    world.tab("학교").update([["많음"]], "F2", raw=False)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=a), {"name": "새이름"})
    await world.cycle()
    await world.cycle()
    world.tab("학교").update([["5"]], "F2", raw=False)
    await world.cycle()
    await world.settle()
    school = await School.get(id=a)
    assert (school.name, school.students) == ("새이름", 5)
    assert world.rows("학교")[1][2] == "새이름"


async def test_unknown_program_code_and_negative_amount_are_issues(world: World) -> None:
    await add_program()
    await world.settle()
    world.tab("예산").update(
        [["", "P-404", "2025", "하남시", "1000", "0", ""], ["", "P-001", "2025", "하남시", "-5", "0", ""]],
        "A2",
        raw=False,
    )
    await world.cycle()
    codes = sorted(i.code for i in await SyncIssue.filter(resolved_at=None))
    assert codes == ["NEGATIVE_AMOUNT", "UNKNOWN_PROGRAM"]
    assert world.rows("예산")[1][0] == ""  # no record, no ID


async def test_duplicate_pasted_id_is_an_issue_not_a_guess(world: World) -> None:
    a = await add_school(code="7530001")
    await world.settle()
    world.tab("학교").update([[str(a), "7530009", "복사학교", "중학교", "위례", "3"]], "A3", raw=False)
    await world.cycle()
    # The original row carries the record's anchor, so only the copy is in question.
    [issue] = await SyncIssue.filter(resolved_at=None)
    assert (issue.code, issue.row_number) == ("DUPLICATE_ID", 3)
    assert await School.all().count() == 1
    assert (await School.get(id=a)).code == "7530001"


async def test_missing_required_header_skips_the_tab_and_archives_nothing(world: World) -> None:
    await add_school()
    await world.settle()
    world.tab("학교").update([["코드"]], "B1", raw=False)
    report = await world.cycle()
    [issue] = await SyncIssue.filter(resolved_at=None)
    assert issue.code == "MISSING_HEADER" and "학교코드" in issue.problem
    assert report.counts["archived"] == 0
    assert await School.filter(archived_at=None).count() == 1


async def test_staff_edits_to_worker_owned_tabs_are_restored(world: World) -> None:
    await add_program()
    await add_line(allocated=1000, executed=250)
    await world.settle()
    summary = world.rows("요약")
    assert summary[1][:5] == ["P-001", "하남시", "1000", "250", "25.0%"]
    world.tab("동기화 오류").update([["장난"]], "A3", raw=False)
    world.tab("요약").update([["0"]], "C2", raw=False)
    await world.cycle()
    assert world.rows("동기화 오류") == [["탭", "행", "열", "값", "문제"]]
    assert world.rows("요약") == summary
