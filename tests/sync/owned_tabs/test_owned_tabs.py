"""The worker-owned tabs (동기화 오류, 요약) are ours: deleted, they are added back in the next cycle
that reads, filled and protected in its one batchUpdate. Real gspread against the emulator."""

from __future__ import annotations

from models.school import School
from sync.guardrails import protection
from sync.issues_tab import HEADER as ISSUES_HEADER
from sync.summary_tab import HEADER as SUMMARY_HEADER
from tests.sync.conftest import World, add_line, add_program, add_school


async def test_deleted_worker_tabs_are_added_back_filled_and_protected(world: World) -> None:
    school_id = await add_school()
    await add_program()
    await add_line()
    await world.settle()
    world.staff.del_worksheet(world.tab("동기화 오류"))
    world.staff.del_worksheet(world.tab("요약"))
    world.tab("학교").update([["abc"]], "F2", raw=False)  # a bad cell: an issue to show
    world.emulator.clear_log()
    await world.cycle()
    assert world.emulator.request_counts()["sheets.spreadsheets.batchUpdate"] == 1
    issues = world.rows("동기화 오류")
    assert issues[0] == ISSUES_HEADER and any("abc" in str(c) for r in issues[1:] for c in r)
    assert world.rows("요약")[0] == SUMMARY_HEADER and len(world.rows("요약")) == 2
    body = world.staff.fetch_sheet_metadata(params={"fields": "sheets(properties(title),protectedRanges)"})
    by_title = {s["properties"]["title"]: s for s in body["sheets"]}
    for title in ("동기화 오류", "요약"):
        protected = by_title[title]["protectedRanges"]
        assert [p["description"] for p in protected] == [protection.OWNED_TAB]
    await world.settle()  # and nothing more to do: the next read finds them as wanted
    assert (await School.get(id=school_id)).students == 500
