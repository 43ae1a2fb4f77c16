"""A tab's cells as header-matched, parsed rows, with each row's anchors. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.cells import CellError, format_value, is_blank, parse
from sync.grid import Formula, TabGrid
from sync.headers import normalise
from sync.mapping import TabMapping
from sync.plan import Issue


@dataclass(slots=True)
class SheetRow:
    """One data row: its position now, its ID cell, anchors, parsed values and failed cells."""

    number: int  # 1-based row number in the sheet
    key: str | None
    values: dict[str, Any]
    raw: dict[str, Any]
    errors: dict[str, CellError] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)  # our row-metadata tokens on this row

    def is_formula(self, field_name: str) -> bool:
        """A formula cell: the worker never overwrites it and never reads it as a value."""
        return isinstance(self.raw.get(field_name), Formula)


@dataclass(slots=True)
class Table:
    """The header-matched view of one tab."""

    tab: TabMapping
    id_column: int | None
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[SheetRow]
    width: int  # columns in the header row
    issue: Issue | None = None  # set when the tab cannot be synced (missing header)
    notices: list[Issue] = field(default_factory=list)  # problems that do not stop the tab
    sheet_id: int = 0
    column_count: int = 0  # the grid's width: a cleared row is cleared this wide
    row_count: int = 0  # the grid's height
    data_rows: int = 0  # rows up to the last one holding anything, the header included
    blank_anchors: dict[str, int] = field(default_factory=dict)  # token -> row, on rows holding nothing
    notes: dict[tuple[int, int], str] = field(default_factory=dict)


def read(tab: TabMapping, source: TabGrid | list[list[Any]]) -> Table:
    """Match headers by normalised text (never position), then parse every non-blank row.

    ``source`` is a tab as the worker reads it, or plain rows of cell values (tests, tools).
    """
    grid = source if isinstance(source, TabGrid) else TabGrid(tab.name, 0, len(source), 0, cells=source)
    cells = grid.cells
    header = [normalise(h) if isinstance(h, str) else "" for h in (cells[0] if cells else [])]
    columns: dict[str, int] = {}
    for column in tab.columns:
        names = column.names()
        found = next((i for i, h in enumerate(header) if h in names), None)
        if found is not None:
            columns[column.field] = found
    id_norm = normalise(tab.id_header)
    id_column = next((i for i, h in enumerate(header) if h == id_norm), None)
    table = Table(
        tab,
        id_column,
        columns,
        [],
        len(header),
        sheet_id=grid.sheet_id,
        column_count=max(grid.column_count, len(header)),
        row_count=grid.row_count,
        data_rows=len(cells),
        notes=dict(grid.notes),
    )
    table.notices += _refused_columns(tab, cells[0] if cells else [])
    missing = [c.header for c in tab.columns if c.required and c.field not in columns]
    if id_column is None:
        missing.insert(0, tab.id_header)
    if missing:
        problem = (
            f"필수 열이 없습니다: {', '.join(missing)}. 이 탭은 동기화하지 않았습니다(보관된 항목 없음)."
        )
        table.issue = Issue(tab.name, 1, None, ", ".join(missing), "MISSING_HEADER", problem)
        return table
    table.notices += [
        _missing_column(tab, c.field, c.header)
        for c in tab.columns
        if c.field not in columns and not c.optional
    ]
    for number in range(2, max(len(cells), max(grid.anchors, default=0)) + 1):
        line = cells[number - 1] if number <= len(cells) else []
        row = _row(tab, number, line, columns, id_column, grid.anchors.get(number, []))
        if row is not None:
            table.rows.append(row)
        else:
            table.blank_anchors.update({token: number for token in grid.anchors.get(number, [])})
    return table


def _missing_column(tab: TabMapping, field_name: str, header: str) -> Issue:
    # Optional, so the rest of the tab still syncs; the column's database edits wait for it.
    problem = (
        f"'{header}' 열을 찾을 수 없습니다(열 제목이 바뀌었거나 열이 지워졌습니다). 나머지 열은 동기화했고, "
        f"이 열의 변경은 열 제목을 '{header}'(으)로 되돌리면 반영됩니다."
    )
    return Issue(tab.name, 1, field_name, header, "MISSING_COLUMN", problem)


def _refused_columns(tab: TabMapping, header: list[Any]) -> list[Issue]:
    """An issue per header the mapping refuses; their cells are never read, so never stored."""
    problem = (
        "이 열은 학생 개인정보(이름·학번·연락처 등)로 보여 동기화하지 않습니다(개인정보보호법). "
        "운영 실적에는 학교급별 인원만 적고, 이 열은 시트에서 지워 주세요."
    )
    return [
        Issue(tab.name, 1, None, str(text), "PERSONAL_DATA_COLUMN", f"'{text}': {problem}")
        for text in header
        if isinstance(text, str) and text.strip() and tab.refused(text)
    ]


def formatted(tab: TabMapping, field_name: str, value: Any) -> Any:
    """The RAW cell value the worker writes for ``value``."""
    return format_value(tab.spec(tab.column(field_name)), value)


def _row(
    tab: TabMapping,
    number: int,
    line: list[Any],
    columns: dict[str, int],
    id_column: int | None,
    anchors: list[str],
) -> SheetRow | None:
    def cell(index: int | None) -> Any:
        return line[index] if index is not None and index < len(line) else ""

    raw = {name: cell(index) for name, index in columns.items()}
    key_cell = cell(id_column)
    if all(is_blank(v) for v in raw.values()) and is_blank(key_cell):
        return None
    key = None if is_blank(key_cell) else _key_text(key_cell)
    row = SheetRow(number, key, {}, raw, anchors=list(anchors))
    for column in tab.columns:
        # A worker-owned cell is never read: whatever it holds is put back, never refused.
        if column.field not in columns or row.is_formula(column.field) or column.worker_owned:
            continue
        try:
            row.values[column.field] = parse(tab.spec(column), raw[column.field])
        except CellError as error:
            row.errors[column.field] = error
    return row


def _key_text(value: Any) -> str:
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
