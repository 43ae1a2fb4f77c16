"""A tab's cells (read with valueRenderOption=FORMULA) as header-matched, parsed rows. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.cells import CellError, format_value, is_blank, parse
from sync.headers import normalise
from sync.mapping import TabMapping
from sync.plan import Issue


@dataclass(slots=True)
class SheetRow:
    """One data row: its position now, its ID cell, parsed values and the cells that failed."""

    number: int  # 1-based row number in the sheet
    key: str | None
    values: dict[str, Any]
    raw: dict[str, Any]
    errors: dict[str, CellError] = field(default_factory=dict)

    def is_formula(self, field_name: str, written: Any) -> bool:
        """A formula cell: starts with '=' and is not the text the worker itself wrote RAW."""
        raw = self.raw.get(field_name)
        return isinstance(raw, str) and raw.startswith("=") and raw != written


@dataclass(slots=True)
class Table:
    """The header-matched view of one tab."""

    tab: TabMapping
    id_column: int | None
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[SheetRow]
    width: int
    issue: Issue | None = None  # set when the tab cannot be synced (missing header)


def read(tab: TabMapping, cells: list[list[Any]]) -> Table:
    """Match headers by normalised text (never position), then parse every non-blank row."""
    header = [normalise(h) for h in (cells[0] if cells else [])]
    width = len(cells[0]) if cells else 0
    columns: dict[str, int] = {}
    for column in tab.columns:
        names = column.names()
        found = next((i for i, h in enumerate(header) if h in names), None)
        if found is not None:
            columns[column.field] = found
    id_norm = normalise(tab.id_header)
    id_column = next((i for i, h in enumerate(header) if h == id_norm), None)
    missing = [c.header for c in tab.columns if c.required and c.field not in columns]
    if id_column is None:
        missing.insert(0, tab.id_header)
    if missing:
        problem = (
            f"필수 열이 없습니다: {', '.join(missing)}. 이 탭은 동기화하지 않았습니다(보관된 항목 없음)."
        )
        issue = Issue(tab.name, 1, None, ", ".join(missing), "MISSING_HEADER", problem)
        return Table(tab, id_column, columns, [], width, issue)
    rows = []
    for index, line in enumerate(cells[1:], start=2):
        row = _row(tab, index, line, columns, id_column)
        if row is not None:
            rows.append(row)
    return Table(tab, id_column, columns, rows, width)


def formatted(tab: TabMapping, field_name: str, value: Any) -> Any:
    """The RAW cell value the worker writes for ``value``."""
    return format_value(tab.spec(tab.column(field_name)), value)


def _row(
    tab: TabMapping, number: int, line: list[Any], columns: dict[str, int], id_column: int | None
) -> SheetRow | None:
    def cell(index: int | None) -> Any:
        return line[index] if index is not None and index < len(line) else ""

    raw = {name: cell(index) for name, index in columns.items()}
    key_cell = cell(id_column)
    if all(is_blank(v) for v in raw.values()) and is_blank(key_cell):
        return None
    key = None if is_blank(key_cell) else _key_text(key_cell)
    row = SheetRow(number, key, {}, raw)
    for column in tab.columns:
        if column.field not in columns:
            continue
        try:
            row.values[column.field] = parse(tab.spec(column), raw[column.field])
        except CellError as error:
            row.errors[column.field] = error
    return row


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
