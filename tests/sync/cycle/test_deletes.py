"""Deletes are tombstones both ways; a cycle that would archive too much is held until confirmed."""

from __future__ import annotations

from models.actor import SYSTEM_ACTOR
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_state import SyncIssue
from tests.sync.conftest import World, add_school


async def test_a_row_gone_from_the_sheet_archives_its_record(world: World) -> None:
    ids = [await add_school(code=f"75300{i:02d}", name=f"학교{i}") for i in range(6)]
    await world.settle()
    world.tab("학교").delete_rows(3)
    report = await world.cycle()
    assert report.counts["archived"] == 1
    archived = [s.pk for s in await School.filter(archived_at__not_isnull=True)]
    assert archived == [ids[1]]
    await world.settle()
    assert await School.filter(archived_at=None).count() == 5


async def test_archiving_through_the_api_clears_the_row(world: World) -> None:
    ids = [await add_school(code=f"75300{i:02d}", name=f"학교{i}") for i in range(3)]
    await world.settle()
    world.tab("학교").update([["교무실 메모"]], "H3")  # a column the worker does not map
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.archive(scope, await School.get(id=ids[1]))
    await world.cycle()
    # Cleared by its anchor, never deleted by position: the row stays, blank, for staff to remove.
    rows = world.rows("학교")
    assert [r[0] for r in rows[1:] if r] == [str(ids[0]), str(ids[2])]
    assert rows[2] == []
    await world.settle()
    assert await School.filter(archived_at=None).count() == 2


async def test_a_cleared_sheet_is_held_until_confirmed(world: World) -> None:
    for i in range(12):
        await add_school(code=f"75300{i:02d}", name=f"학교{i}")
    await world.settle()
    world.tab("학교").batch_clear(["A2:F20"])
    report = await world.cycle()
    assert report.counts["archived"] == 0
    [issue] = await SyncIssue.filter(resolved_at=None)
    assert issue.code == "MASS_DELETE_HELD" and "--confirm-deletes" in issue.problem
    assert await School.filter(archived_at=None).count() == 12
    again = await world.cycle()
    assert again.counts["archived"] == 0
    confirmed = await world.cycle(confirm_deletes=True)
    assert confirmed.counts["archived"] == 12
    assert await School.filter(archived_at=None).count() == 0
    await world.settle()
    assert await SyncIssue.filter(resolved_at=None).count() == 0


async def test_restoring_the_rows_clears_the_held_delete(world: World) -> None:
    for i in range(5):
        await add_school(code=f"75300{i:02d}", name=f"학교{i}")
    await world.settle()
    saved = world.rows("학교")
    world.tab("학교").batch_clear(["A2:F20"])
    await world.cycle()
    assert await SyncIssue.filter(resolved_at=None, code="MASS_DELETE_HELD").count() == 1
    world.tab("학교").update(saved[1:], "A2", raw=False)
    await world.cycle()
    await world.settle()
    assert await SyncIssue.filter(resolved_at=None).count() == 0
    assert await School.filter(archived_at=None).count() == 5
