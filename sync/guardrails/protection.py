"""Warning-only protection of each synced tab's ID column, its worker-owned columns (불용액,
예산현액) and of the worker-owned tabs.

Warning only: Sheets asks "are you sure?" before an edit there but lets it through, so nobody
is locked out of their own sheet; the worker still treats a changed ID as a sync issue.
Ours are known by their description's prefix, so staff's own protections are left alone.
"""

from __future__ import annotations

from typing import Any

from sync.grid import TabGrid
from sync.work import TabWork

PREFIX = "[동기화]"
ID_COLUMN = f"{PREFIX} ID 열은 동기화 작업자가 채웁니다. 고치지 마세요."
OWNED_TAB = f"{PREFIX} 이 탭은 동기화 작업자가 씁니다. 고쳐도 다음 동기화 때 되돌아갑니다."
OWNED_COLUMN = f"{PREFIX} 이 열은 동기화 작업자가 계산해 씁니다. 고쳐도 다음 동기화 때 되돌아갑니다."
_INDEX_KEYS = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")


def _range_key(grid_range: dict[str, Any]) -> tuple[Any, ...]:
    # Google leaves sheetId 0 and unset bounds out of what it returns.
    return (int(grid_range.get("sheetId", 0)), *(grid_range.get(k) for k in _INDEX_KEYS))


def _column(work: TabWork, column: int, description: str) -> dict[str, Any]:
    return {
        "range": {"sheetId": work.table.sheet_id, "startColumnIndex": column, "endColumnIndex": column + 1},
        "description": description,
        "warningOnly": True,
    }


def _wanted(works: list[TabWork], owned: list[TabGrid]) -> dict[tuple[Any, ...], dict[str, Any]]:
    wanted: list[dict[str, Any]] = []
    for work in works:
        if work.grid is None:
            continue
        if work.table.id_column is not None:
            wanted.append(_column(work, work.table.id_column, ID_COLUMN))
        for mapped in work.tab.columns:
            index = work.table.columns.get(mapped.field)
            if mapped.worker_owned and index is not None:
                wanted.append(_column(work, index, OWNED_COLUMN))
    wanted += [
        {"range": {"sheetId": grid.sheet_id}, "description": OWNED_TAB, "warningOnly": True} for grid in owned
    ]
    return {(_range_key(w["range"]), w["description"]): w for w in wanted}


def missing(works: list[TabWork], owned: list[TabGrid]) -> list[dict[str, Any]]:
    """Add what is missing; drop ours that no longer fit (a stale range) and duplicates."""
    wanted = _wanted(works, owned)
    grids = [w.grid for w in works if w.grid is not None] + owned
    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    for grid in grids:
        for found in grid.protected:
            if not str(found.get("description", "")).startswith(PREFIX):
                continue
            key = (_range_key({"sheetId": grid.sheet_id, **found.get("range", {})}), found.get("description"))
            if key in wanted and key not in seen and found.get("warningOnly"):
                seen.add(key)
            else:
                out.append({"deleteProtectedRange": {"protectedRangeId": found["protectedRangeId"]}})
    out += [{"addProtectedRange": {"protectedRange": w}} for key, w in wanted.items() if key not in seen]
    return out
