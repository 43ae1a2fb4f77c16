"""A summary's groups -> an XLSX workbook a partner office can send upward (openpyxl).

One sheet: the title; what was grouped by, the conditions, the unit, when it was taken (Asia/Seoul)
and as whom; then a header row in Korean, one row per group and a totals row. Figures are
numbers with a number format (never text), money in whole 원 or 천원 as chosen; the sheet
prints on A4, one page wide, the header row repeated on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from api.reports import labels
from api.reports.catalog import Measure, MeasureKind
from api.reports.request import ReportRequest
from api.reports.summary_query import SummaryAnswer
from api.reports.units import convert, unit_note

TOTAL_LABEL = "합계"
TAKEN_AT_FORMAT = 'yyyy-mm-dd hh:mm:ss "(한국 표준시)"'
NUMBER_FORMATS = {
    MeasureKind.MONEY: "#,##0",
    MeasureKind.RATE: "0.0%",
    MeasureKind.COUNT: "#,##0",
    MeasureKind.TENTHS: "#,##0.0",
}
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
_THIN = Side(style="thin", color="64748B")


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    number_format: str | None = None


@dataclass(frozen=True)
class ReportContext:
    """What the report says about itself besides its figures."""

    taken_at: datetime  # aware, in Asia/Seoul
    viewer: str  # as whom the figures were read, e.g. 공개 (토큰 없음)


def build_workbook(request: ReportRequest, answer: SummaryAnswer, about: ReportContext) -> bytes:
    """The report as XLSX bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = request.report.file_stem[:31]  # Excel's limit on a sheet name
    header_row = _write_heading(sheet, request, about)
    columns = _columns(request)
    _write_header(sheet, header_row, columns)
    # Without a grouping the one group is the grand total: the totals row says it alone.
    groups = answer.groups if request.group_by else []
    rows = [_group_cells(request, group) for group in groups]
    for offset, cells in enumerate(rows, start=1):
        _write_row(sheet, header_row + offset, cells, columns)
    total_row = header_row + len(rows) + 1
    _write_row(sheet, total_row, _total_cells(request, answer.total), columns)
    for column in range(1, len(columns) + 1):
        cell = sheet.cell(total_row, column)
        cell.font, cell.border = _BOLD, Border(top=_THIN, bottom=_THIN)
    _prepare_printing(sheet, header_row, len(columns))
    book.properties.title = _title(request)
    book.properties.creator = "하남 교육협력 허브"
    book.properties.created = about.taken_at.astimezone(UTC).replace(tzinfo=None)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _title(request: ReportRequest) -> str:
    grouping = "·".join(labels.dimension_header(d) for d in request.group_by)
    return f"{request.report.title} ({grouping}별)" if grouping else f"{request.report.title} (전체 합계)"


def _write_heading(sheet: Worksheet, request: ReportRequest, about: ReportContext) -> int:
    """Title and the report's facts, one `label | value` row each; returns the header's row."""
    _put(sheet, 1, 1, _title(request)).font = Font(bold=True, size=14)
    facts: list[tuple[str, Any]] = [
        ("집계 기준", " › ".join(labels.dimension_header(d) for d in request.group_by) or "없음 (전체 합계)"),
        ("조건", describe_conditions(request)),
        ("금액 단위", unit_note(request.unit)),
        ("작성 일시", about.taken_at.replace(tzinfo=None, microsecond=0)),
        ("조회 권한", about.viewer),
    ]
    facts += [("참고", note) for d, note in request.report.dimension_notes.items() if d in request.group_by]
    for row, (label, value) in enumerate(facts, start=2):
        _put(sheet, row, 1, label).font = _BOLD
        cell = _put(sheet, row, 2, value)
        if isinstance(value, datetime):
            cell.number_format = TAKEN_AT_FORMAT
            cell.alignment = Alignment(horizontal="left")
    return len(facts) + 3  # one blank row between the facts and the table


def describe_conditions(request: ReportRequest) -> str:
    """The conditions in Korean, e.g. `연도: 2025; 재원: 하남시, 교육지원청`."""
    parts = []
    for name, value in request.filter.items():
        condition = request.shape.conditions[name]
        values = value if isinstance(value, list) else [value]
        shown = ", ".join(labels.value_label(condition.type_name, v) for v in values)
        parts.append(f"{labels.condition_label(name)}: {shown}")
    return "; ".join(parts) or "없음 (보관 처리되지 않은 자료 전체)"


def _columns(request: ReportRequest) -> list[Column]:
    columns = []
    for dimension in request.group_by:
        if dimension in labels.CODE_HEADERS:
            code_header, name_header = labels.CODE_HEADERS[dimension]
            columns += [Column(code_header, 16), Column(name_header, 30)]  # names are long, codes short
        else:
            columns.append(Column(labels.dimension_header(dimension), 16))
    if not columns:
        columns.append(Column("구분", 16))
    for measure in request.report.measures:
        columns.append(Column(_measure_header(request, measure), 18, NUMBER_FORMATS[measure.kind]))
    return columns


def _measure_header(request: ReportRequest, measure: Measure) -> str:
    if measure.kind is MeasureKind.MONEY:
        return f"{measure.header}({request.unit.value})"
    return measure.header


def _group_cells(request: ReportRequest, group: dict[str, Any]) -> list[Any]:
    cells: list[Any] = []
    for key in group["keys"]:
        if key["dimension"] in labels.CODE_HEADERS:
            cells.append(key["value"])
        cells.append(key["label"])
    return cells + _figures(request, group)


def _total_cells(request: ReportRequest, total: dict[str, Any] | None) -> list[Any]:
    key_columns = len(_columns(request)) - len(request.report.measures)
    empty = {
        m.field: 0 if m.kind in (MeasureKind.MONEY, MeasureKind.COUNT) else None
        for m in request.report.measures
    }
    return [TOTAL_LABEL, *[None] * (key_columns - 1), *_figures(request, total or empty)]


def _figures(request: ReportRequest, group: dict[str, Any]) -> list[Any]:
    figures: list[Any] = []
    for measure in request.report.measures:
        value = group[measure.field]
        if value is None:  # e.g. won per participant with nobody: an empty cell, never 0
            figures.append(None)
        elif measure.kind is MeasureKind.MONEY:
            figures.append(convert(int(value), request.unit))
        elif measure.kind is MeasureKind.TENTHS:
            figures.append(Decimal(str(value)))  # exact: openpyxl writes a Decimal as its number
        else:
            figures.append(value)
    return figures


def _write_header(sheet: Worksheet, row: int, columns: list[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = _put(sheet, row, index, column.header)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=_THIN)
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def _write_row(sheet: Worksheet, row: int, cells: list[Any], columns: list[Column]) -> None:
    for index, (value, column) in enumerate(zip(cells, columns, strict=True), start=1):
        cell = _put(sheet, row, index, value)
        if column.number_format is not None:
            cell.number_format = column.number_format


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a value as itself: text from the API (a name typed into a sheet) that starts with
    `=` stays text, never a formula that Excel would run."""
    cell: Cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _prepare_printing(sheet: Worksheet, header_row: int, width: int) -> None:
    """A4, one page wide, the header repeated on each page; the header row stays on screen."""
    sheet.freeze_panes = sheet.cell(header_row + 1, 1).coordinate
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if width > 6 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_title_rows = f"{header_row}:{header_row}"
