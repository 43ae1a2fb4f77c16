"""A renamed or deleted optional header: a MISSING_COLUMN issue naming it, the rest syncs."""

from __future__ import annotations

from models.actor import SYSTEM_ACTOR
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_state import SyncIssue
from tests.sync.conftest import World, add_school


async def test_renamed_header_is_an_issue_and_other_columns_still_sync(world: World) -> None:
    school_id = await add_school(students=500)
    await world.settle()
    tab = world.tab("학교")
    tab.update([["학생 인원"]], "F1", raw=False)  # 학생수 renamed
    tab.update([["미사강변초등학교"]], "C2", raw=False)
    await world.cycle()
    school = await School.get(id=school_id)
    assert school.name == "미사강변초등학교"  # the other columns still sync
    [issue] = await SyncIssue.filter(code="MISSING_COLUMN", resolved_at=None)
    assert issue.tab == "학교" and issue.column == "students" and "'학생수'" in issue.problem
    assert any("학생수" in str(cell) for row in world.rows("동기화 오류") for cell in row)
    # An API edit of the missing column waits; the cell under the renamed header is left alone.
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, school, {"students": 640})
    await world.cycle()
    assert world.rows("학교")[1][5] == "500"
    tab.update([["학생수"]], "F1", raw=False)  # the header is put back: the waiting edit lands
    await world.settle()
    assert world.rows("학교")[1][5] == "640"
    assert (await School.get(id=school_id)).students == 640
    assert not await SyncIssue.filter(code="MISSING_COLUMN", resolved_at=None).exists()
