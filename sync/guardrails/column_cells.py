"""Which cells of a column a guardrail must cover, and whether all of them hold it.

A rule is set on the data rows and a margin of rows below them, not on the whole column: every
covered cell comes back in the cycle's one read (an empty cell shows its rule too), so a rule
down to row 1,000 of a 10-row tab made that read many times larger. When staff's rows reach into
the second half of the margin it is extended.

The cells are those of the tab as this cycle leaves it (:class:`Span`): the guardrails ride in
the same ``batchUpdate`` as the rows it appends, after them, so a row the worker adds is covered
in the cycle that writes it. Rows inserted below the last data row inherit its rule (and the
margin moves down with them); rows that inherit nothing (the first rows under a bare header, or
rows added by ``appendDimension`` to a full grid) mean the rule is set again over the new span.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sync import sheet_writes
from sync.work import TabWork

Check = Callable[[dict[str, Any] | None], bool]
MARGIN = 50  # rows below the last data row that get the guardrail, for the rows staff type next


@dataclass(frozen=True, slots=True)
class Span:
    """A tab's rows as read and as this cycle's appends leave them (1-based, header row 1)."""

    sheet_id: int
    read_last: int  # the last data row as read (1 for a bare header)
    read_rows: int  # the grid's height as read
    appended: int  # rows this cycle appends
    inherits: bool  # whether the appended rows take the last data row's rules and formats

    @property
    def last(self) -> int:
        return self.read_last + self.appended

    @property
    def rows(self) -> int:
        return self.read_rows + self.appended


def span(work: TabWork) -> Span:
    table = work.table
    appended, inherits = sheet_writes.appended_rows(work)
    return Span(table.sheet_id, max(table.data_rows, 1), table.row_count, appended, inherits)


def data_range(span: Span, column: int) -> dict[str, Any]:
    """The column below the header, down to the margin below the data (within the grid)."""
    return {
        "sheetId": span.sheet_id,
        "startRowIndex": 1,
        "endRowIndex": min(span.rows, span.last + MARGIN),
        "startColumnIndex": column,
        "endColumnIndex": column + 1,
    }


def rows_to_check(span: Span) -> list[int]:
    """The data rows as read, at least row 2, and the row halfway into the margin (so the margin
    grows with the data); only rows the grid has."""
    last = span.read_last
    rows = [*range(2, max(last, 2) + 1), last + MARGIN // 2]
    return [row for row in rows if row <= span.read_rows]


def holds(found: dict[tuple[int, int], dict[str, Any]], span: Span, column: int, ok: Check) -> bool:
    """Every cell in ``column`` the guardrail must cover passes ``ok`` (given its rule or format,
    None if none) once this cycle's appends have landed."""
    if span.appended and not span.inherits:
        return False  # the new rows start bare
    return all(ok(found.get((row, column))) for row in rows_to_check(span))
