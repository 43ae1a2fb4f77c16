"""First contact and one-way flows, through gspread against the emulator, on both engines."""

from __future__ import annotations

from models.school import School
from models.sync_state import SyncedRow
from tests.sync.conftest import World, add_school


async def test_empty_tab_is_filled_from_the_database_with_ids(world: World) -> None:
    school_id = await add_school()
    report = await world.cycle()
    assert report.counts["appended"] == 1
    rows = world.rows("학교")
    assert rows[1] == [str(school_id), "7530001", "미사초등학교", "초등학교", "미사", "500"]
    assert await SyncedRow.filter(record_id=school_id).count() == 1
    settled = await world.settle()
    assert settled.total_calls == 1


async def test_empty_database_imports_the_tab_and_fills_ids(world: World) -> None:
    world.tab("학교").update([["", "7530002", "위례중학교", "중학교", "위례", "1,234"]], "A2", raw=False)
    report = await world.cycle()
    assert report.counts["created"] == 1, str(report)
    school = await School.get(code="7530002")
    assert (school.name, school.students, str(school.level)) == ("위례중학교", 1234, "MIDDLE")
    assert world.rows("학교")[1][0] == str(school.pk)
    await world.settle()
    assert await School.all().count() == 1


async def test_first_contact_matches_by_code_and_never_duplicates(world: World) -> None:
    school_id = await add_school(students=10)
    world.tab("학교").update([["", "7530001", "미사초등학교", "초등학교", "미사", 11]], "A2", raw=False)
    await world.cycle()
    await world.settle()
    assert await School.all().count() == 1
    assert (await School.get(id=school_id)).students == 11
    assert len([r for r in world.rows("학교")[1:] if any(r)]) == 1
    assert world.rows("학교")[1][0] == str(school_id)
