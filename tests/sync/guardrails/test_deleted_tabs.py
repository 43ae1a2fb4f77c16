"""A deleted data tab (staff delete 예산): a Korean TAB_MISSING issue naming it, the other tabs
still sync, nothing is archived, and the database's changes for it wait until it is back, by
Google's undo (same sheetId) or as a new tab with the mapped title. Real gspread, the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from gspread.utils import ValueRenderOption

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.school import School
from models.services import budget_lines
from models.services.write_scope import write_scope
from models.sync_state import SyncIssue
from tests.sync.conftest import World, add_line, add_program, add_school


async def _world(world: World) -> tuple[int, int, int]:
    school_id = await add_school()
    await add_program()
    kept = await add_line(allocated=5_000_000)
    archived = await add_line(allocated=7_000_000)
    await world.settle()
    return school_id, kept, archived


def _budget_rows(world: World) -> dict[str, list[Any]]:
    """예산's data rows by ID, as plain values."""
    return {str(r[0]): r for r in world.rows("예산")[1:] if r and str(r[0])}


def _bring_back(world: World, saved: list[list[Any]], sheet_id: int | None) -> None:
    """The tab comes back with the cells it had: Google's undo (same sheetId) or staff's new tab."""
    properties: dict[str, Any] = {"title": "예산"}
    if sheet_id is not None:
        properties["sheetId"] = sheet_id
    world.staff.batch_update({"requests": [{"addSheet": {"properties": properties}}]})
    world.tab("예산").update(saved, "A1", raw=True)


@pytest.mark.parametrize("same_id", [True, False], ids=["undo-same-sheet-id", "new-tab-same-title"])
async def test_a_deleted_data_tab_waits_and_its_changes_land_when_it_is_back(
    world: World, same_id: bool
) -> None:
    school_id, kept, archived = await _world(world)
    budget = world.tab("예산")
    sheet_id = budget.id
    saved = budget.get_all_values(value_render_option=ValueRenderOption.unformatted)
    world.staff.del_worksheet(budget)
    # While it is gone: API edits of its records, a new one, an archive; a staff edit elsewhere.
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, await BudgetLine.get(id=kept), {"executed": 1_200_000})
        await budget_lines.archive(scope, await BudgetLine.get(id=archived))
    created = await add_line(allocated=9_000_000)
    world.tab("학교").update([["620"]], "F2", raw=False)
    report = await world.cycle()
    assert report.counts["archived"] == 0
    assert (await School.get(id=school_id)).students == 620  # the other tabs still sync
    [issue] = await SyncIssue.filter(code="TAB_MISSING", resolved_at=None)
    assert issue.tab == "예산" and "'예산' 탭을 찾을 수 없습니다" in issue.problem
    assert any("'예산' 탭을 찾을 수 없습니다" in str(c) for r in world.rows("동기화 오류") for c in r)
    assert await BudgetLine.filter(archived_at=None).count() == 2  # nothing archived by the sync

    # It stays gone: the cycles go idle (the waiting changes are marked, not re-read each cycle).
    await world.settle()
    world.emulator.clear_log()
    assert (await world.cycle()).idle
    assert dict(world.emulator.request_counts()) == {"drive.files.get": 1}

    _bring_back(world, saved, sheet_id if same_id else None)
    await world.settle()
    rows = _budget_rows(world)
    assert set(rows) == {str(kept), str(created)}, rows  # the archived line's row is cleared
    assert str(rows[str(kept)][5]).replace(",", "") == "1200000"  # 집행액, the held API edit
    assert str(rows[str(created)][4]).replace(",", "") == "9000000"  # appended
    assert not await SyncIssue.filter(code="TAB_MISSING", resolved_at=None).exists()
    assert (await BudgetLine.get(id=kept)).executed == 1_200_000  # the old cells did not undo it
    assert await BudgetLine.filter(archived_at=None).count() == 2


async def test_a_mapped_tab_missing_at_first_contact_is_an_issue_not_a_failure(world: World) -> None:
    await add_school()
    world.staff.del_worksheet(world.tab("교육자원"))
    await world.settle()
    assert len(world.rows("학교")) == 2  # the rest of the spreadsheet synced
    [issue] = await SyncIssue.filter(code="TAB_MISSING", resolved_at=None)
    assert issue.tab == "교육자원"
