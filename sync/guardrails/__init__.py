"""Guardrails from the mapping, pushed into the sheet: one module per kind.

Each kind compares what the mapping wants with what this cycle's one ``spreadsheets.get``
found (:mod:`sync.grid` reads frozen rows, protected ranges, validation rules and number
formats) and returns only the requests for what is missing. So they are idempotent, a
guardrail staff removed comes back the next cycle that reads, and a cycle where nothing
changed (an idle cycle reads nothing) costs no request for them. They come after the rows the
cycle appends in that request and cover them: a row the worker writes has its guardrails at once.
"""

from __future__ import annotations

from typing import Any

from sync.grid import TabGrid
from sync.guardrails import code_lists, column_cells, dropdowns, frozen_header, number_formats, protection
from sync.mapping import SpreadsheetMapping
from sync.work import TabWork


def requests(
    sheet: SpreadsheetMapping, works: list[TabWork], owned: dict[str, TabGrid]
) -> list[dict[str, Any]]:
    """The ``batchUpdate`` requests that put back every guardrail missing from the sheet as read."""
    out: list[dict[str, Any]] = []
    for work in works:
        grid = work.grid
        if grid is None:
            continue
        rows = column_cells.span(work)  # the rows as this cycle's appends (earlier in the batch) leave them
        out += frozen_header.missing(work.table, grid, rows)
        out += dropdowns.missing(work.tab, work.table, grid, rows)
        out += number_formats.missing(work.tab, work.table, grid, rows)
        out += code_lists.missing(works, work, work.table, grid, rows)
    out += protection.missing(works, list(owned.values()))
    return out
