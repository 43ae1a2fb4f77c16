"""The downloaded file's name, Korean for people and ASCII for old clients (RFC 6266 / RFC 5987).

A name like 예산집계_사업-재원_천원_20261202-1641.xlsx goes in `filename*` (UTF-8, percent-encoded),
which every current browser reads; `filename` carries budget-summary_PROGRAM-FUNDER_20261202-1641.xlsx
for clients that only know the old parameter.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from api.reports import labels
from api.reports.request import ReportRequest


def report_filenames(request: ReportRequest, taken_at: datetime) -> tuple[str, str]:
    """(Korean name, ASCII name) of a report taken at `taken_at` (Asia/Seoul)."""
    stamp = f"{taken_at:%Y%m%d-%H%M}"
    korean = "-".join(labels.dimension_header(d).replace(" ", "") for d in request.group_by) or "전체"
    ascii_grouping = "-".join(request.group_by) or "TOTAL"
    unit = "천원" if request.unit.value == "천원" else "원"
    return (
        f"{request.report.file_stem}_{korean}_{unit}_{stamp}.xlsx",
        f"{request.report.ascii_stem}_{ascii_grouping}_{stamp}.xlsx",
    )


def content_disposition(filename: str, ascii_filename: str) -> str:
    """`attachment` with both names: browsers take `filename*` (UTF-8), others the ASCII one."""
    return f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"
