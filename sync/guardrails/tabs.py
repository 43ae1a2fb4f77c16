"""Tabs followed by sheetId once known, so a renamed tab keeps syncing (noted as TAB_RENAMED).

The read asks for tabs by title (the last title seen for each mapped tab). Only when Google
cannot find one does the cycle spend one small extra call to list the tabs' ids and titles,
then reads again under the current titles: a cycle without a rename costs nothing more.
"""

from __future__ import annotations

from typing import Any

from sync.errors import TabNotFound
from sync.gateway.base import SheetsGateway
from sync.grid import TabGrid
from sync.plan import Issue
from sync.work import TabWork

Known = dict[str, dict[str, Any]]  # mapped tab name -> {"id": sheetId, "title": title last read}


async def read(
    gateway: SheetsGateway, key: str, names: list[str], known: Known
) -> tuple[list[TabGrid], Known]:
    """The grids of the mapped tabs ``names`` (in order), and what is known of them now."""
    titles = [str(known.get(name, {}).get("title", name)) for name in names]
    try:
        grids = await gateway.read(key, titles)
    except TabNotFound:
        present = await gateway.tab_titles(key)
        titles = []
        for name in names:
            sheet_id = known.get(name, {}).get("id")
            if sheet_id is not None and int(sheet_id) in present:
                titles.append(present[int(sheet_id)])
            else:
                # Never seen, or its id is gone too (deleted): by its name, which fails clearly if absent.
                titles.append(name)
        gone = [name for name, title in zip(names, titles, strict=True) if title not in present.values()]
        if gone:
            raise TabNotFound(
                f"spreadsheet {key} has no tab {', '.join(gone)} (deleted, or renamed before the worker "
                "first read it): restore it or fix the mapping file"
            ) from None
        grids = await gateway.read(key, titles)
    return grids, {name: {"id": g.sheet_id, "title": g.title} for name, g in zip(names, grids, strict=True)}


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
