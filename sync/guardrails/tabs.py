"""Tabs followed by sheetId once known, so a renamed tab keeps syncing (noted as TAB_RENAMED), and a
deleted one is a sync issue naming it (TAB_MISSING) while the other tabs go on syncing.

The read asks for tabs by title (the last title seen for each mapped tab). Only when Google
cannot find one does the cycle spend one small extra call to list the tabs' ids and titles,
then reads the tabs still there under their current titles: a cycle without a rename or a
deleted tab costs nothing more. A tab known to be missing is looked for that way at once (the
list, then the read), so while it stays gone a cycle that reads costs one call more, and an
idle cycle still costs only the change check.

A tab comes back by its sheetId (Google's undo restores a deleted tab with the same id) or by
its mapped title (staff add a tab with that name).
"""

from __future__ import annotations

from typing import Any

from sync.errors import TabNotFound
from sync.gateway.base import SheetsGateway
from sync.grid import TabGrid
from sync.mapping import TabMapping
from sync.plan import Issue, TabPlan
from sync.table import Table
from sync.work import TabWork

Known = dict[str, dict[str, Any]]  # mapped tab name -> {"id": sheetId, "title": title last read}
MISSING = "missing"  # set in a Known entry while the tab is not in the spreadsheet


async def read(
    gateway: SheetsGateway, key: str, names: list[str], known: Known
) -> tuple[list[TabGrid | None], Known]:
    """The grids of the tabs ``names`` (in order; None for a tab not in the spreadsheet), and
    what is known of them now."""
    if not any(known.get(name, {}).get(MISSING) for name in names):
        titles = [str(known.get(name, {}).get("title", name)) for name in names]
        try:
            grids = await gateway.read(key, titles)
            return list(grids), _known(names, list(grids), known)
        except TabNotFound:
            pass
    present = await gateway.tab_titles(key)
    found = [_current_title(name, known, present) for name in names]
    titles = [title for title in found if title is not None]
    read_grids = iter(await gateway.read(key, titles) if titles else [])
    out = [next(read_grids) if title is not None else None for title in found]
    return out, _known(names, out, known)


def _current_title(name: str, known: Known, present: dict[int, str]) -> str | None:
    """Where the tab is now: by its sheetId if still there, else by its mapped name; None if gone."""
    sheet_id = known.get(name, {}).get("id")
    if sheet_id is not None and int(sheet_id) in present:
        return present[int(sheet_id)]
    return name if name in present.values() else None


def _known(names: list[str], grids: list[TabGrid | None], before: Known) -> Known:
    out: Known = {}
    for name, grid in zip(names, grids, strict=True):
        if grid is not None:
            out[name] = {"id": grid.sheet_id, "title": grid.title}
        else:
            # The id is kept: Google's undo brings the tab back under it, maybe renamed meanwhile.
            out[name] = {**before.get(name, {}), MISSING: True}
    return out


def renamed(works: list[TabWork]) -> None:
    """A TAB_RENAMED issue on every mapped tab read under another title."""
    for work in works:
        grid = work.grid
        if grid is None or grid.title == work.tab.name:
            continue
        old, new = work.tab.name, grid.title
        problem = (
            f"'{old}' 탭의 이름이 '{new}'(으)로 바뀌었습니다. 동기화는 이 탭을 계속 따라갑니다. "
            f"탭 이름을 '{old}'(으)로 되돌리거나 매핑 파일의 탭 이름을 '{new}'(으)로 바꾸세요."
        )
        work.plan.issues.append(Issue(work.tab.name, None, None, grid.title, "TAB_RENAMED", problem))


def missing_work(tab: TabMapping) -> TabWork:
    """A mapped tab not in the spreadsheet: nothing done on it this cycle, a TAB_MISSING issue.

    Its merge is skipped (as for a missing header), so nothing is archived; the database changes
    bound for it keep their pending mark (sync.applier) until the tab is back.
    """
    problem = (
        f"'{tab.name}' 탭을 찾을 수 없습니다(삭제되었거나 아직 없는 탭입니다). 이 탭은 동기화하지 "
        "않았고 보관된 항목은 없습니다. 실행 취소로 탭을 되살리거나 같은 이름의 탭을 만드세요. "
        "그동안의 데이터베이스 변경은 탭이 돌아오면 반영됩니다."
    )
    issue = Issue(tab.name, None, None, tab.name, "TAB_MISSING", problem)
    table = Table(tab, None, {}, [], 0, issue=issue)
    return TabWork(tab, table, TabPlan(tab.name))
