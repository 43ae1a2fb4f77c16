"""The 동기화 오류 tab: every open issue in Korean, for the people who typed the cells.

The worker owns this tab: whatever staff type into it is replaced with the current issues.
"""

from __future__ import annotations

from typing import Any

from sync.mapping import SpreadsheetMapping
from sync.plan import Issue

HEADER = ["탭", "행", "열", "값", "문제"]


def rows(sheet: SpreadsheetMapping, issues: list[Issue]) -> list[list[Any]]:
    """Header plus one row per issue, in tab and row order."""
    headers = {(t.name, c.field): c.header for t in sheet.tabs for c in t.columns}
    ordered = sorted(issues, key=lambda i: (i.tab, i.row_number or 0, i.field or ""))
    body = [
        [i.tab, i.row_number or "", headers.get((i.tab, i.field or ""), ""), i.value, i.problem]
        for i in ordered
    ]
    return [HEADER, *body]


def same(read: list[list[Any]], wanted: list[list[Any]]) -> bool:
    """Whether the tab already shows ``wanted`` (numbers and text compared as text)."""

    def clean(grid: list[list[Any]]) -> list[list[str]]:
        out = [[str(v) for v in row] for row in grid]
        out = [row[: max((i + 1 for i, v in enumerate(row) if v != ""), default=0)] for row in out]
        while out and not out[-1]:
            out.pop()
        return out

    return clean(read) == clean(wanted)


def padded(wanted: list[list[Any]], read: list[list[Any]]) -> list[list[Any]]:
    """``wanted`` widened and lengthened with blanks so it also clears what was there before."""
    width = max([len(r) for r in wanted + read] or [0])
    height = max(len(wanted), len(read))
    grid = [list(r) + [""] * (width - len(r)) for r in wanted]
    return grid + [[""] * width for _ in range(height - len(grid))]
