"""Row anchors end to end: every synced row carries one, writes follow it, and rows whose
anchor and ID disagree (copied or pasted rows) follow the documented rule."""

from __future__ import annotations

from typing import Any

from models.school import School
from models.sync_state import SyncedRow, SyncIssue
from sync import anchors
from tests.sync.conftest import World, add_school


async def _anchors(world: World, tab: str = "학교") -> dict[int, list[str]]:
    [grid] = await world.gateway.read(world.key, [tab])
    return grid.anchors


def _row_of(world: World, code: str) -> tuple[int, list[Any]]:
    return next((n, r) for n, r in enumerate(world.rows("학교"), start=1) if len(r) > 1 and r[1] == code)


async def test_every_synced_row_carries_its_records_anchor(world: World) -> None:
    ids = [await add_school(code=f"753000{i}", name=f"학교{i}") for i in range(3)]
    world.tab("학교").update([["", "7530009", "새학교", "중학교", "위례", "10"]], "A5", raw=False)
    await world.settle()
    found = await _anchors(world)
    owners = {
        anchor: record_id for anchor, record_id in await SyncedRow.all().values_list("anchor", "record_id")
    }
    rows = world.rows("학교")
    assert len(found) == 4 == len(owners)
    for number, tokens in found.items():
        [token] = tokens
        assert str(owners[token]) == rows[number - 1][0]
    assert sorted(owners.values()) == sorted([*ids, (await School.get(code="7530009")).pk])


async def test_a_sheet_synced_before_anchors_gets_them_without_changing_anything(world: World) -> None:
    ids = [await add_school(code=f"753000{i}", name=f"학교{i}") for i in range(3)]
    await world.settle()
    # As an older worker left it: IDs in the sheet, no row metadata, sync state without anchors.
    with world.emulator.store.lock:
        world.emulator.store.get(world.key).developer_metadata.clear()  # type: ignore[union-attr]
    await SyncedRow.all().update(anchor=None)
    world.tab("학교").update([["999"]], "F2", raw=False)  # and an edit made meanwhile
    await world.settle()
    assert len(await _anchors(world)) == 3
    assert await SyncedRow.filter(anchor=None).count() == 0
    assert await School.filter(archived_at=None).count() == 3
    assert (await School.get(id=ids[0])).students == 999


async def test_a_row_pasted_over_another_is_held_until_its_id_is_fixed(world: World) -> None:
    await add_school(code="7530001", name="가초")
    second = await add_school(code="7530002", name="나초")
    await world.settle()
    number, first_row = _row_of(world, "7530001")
    target, _ = _row_of(world, "7530002")
    world.tab("학교").update([first_row], f"A{target}", raw=False)  # staff paste row 1 over row 2
    await world.settle()
    [issue] = await SyncIssue.filter(resolved_at=None, code="ID_MISMATCH")
    assert issue.row_number == target and str(second) in issue.problem
    assert await School.filter(archived_at=None).count() == 2
    assert (await School.get(id=second)).code == "7530002"  # nothing taken from the pasted row
    world.tab("학교").update([[str(second), "7530012"]], f"A{target}", raw=False)  # staff fix the ID
    await world.settle()
    assert await SyncIssue.filter(resolved_at=None).count() == 0
    assert (await School.get(id=second)).code == "7530012"
    assert number != target


async def test_a_copied_row_is_a_duplicate_until_its_id_is_cleared_then_a_new_record(world: World) -> None:
    first = await add_school(code="7530001", name="가초")
    await world.settle()
    _, row = _row_of(world, "7530001")
    world.tab("학교").update([[row[0], "7530002", "가초 분교", *row[3:]]], "A3", raw=False)
    await world.settle()
    [issue] = await SyncIssue.filter(resolved_at=None)
    assert issue.code == "DUPLICATE_ID" and issue.row_number == 3
    assert await School.all().count() == 1
    world.tab("학교").update([[""]], "A3", raw=False)
    await world.settle()
    assert await SyncIssue.filter(resolved_at=None).count() == 0
    copy = await School.get(code="7530002")
    assert copy.pk != first and world.rows("학교")[2][0] == str(copy.pk)


async def test_stray_anchors_are_removed_and_never_create_records(world: World) -> None:
    await add_school()
    await world.settle()
    [grid] = await world.gateway.read(world.key, ["학교"])
    stray = anchors.place(grid.sheet_id, 2, "stray-token")  # a second anchor on a synced row
    blank = anchors.place(grid.sheet_id, 7, "blank-token")  # and one on a blank row
    await world.gateway.batch_update(world.key, [stray, blank])
    await world.settle()
    assert [tokens for tokens in (await _anchors(world)).values()] == [[await _owner_anchor()]]
    assert await School.all().count() == 1


async def _owner_anchor() -> str:
    anchor = await SyncedRow.get().values_list("anchor", flat=True)
    return str(anchor)
