"""One report from start to end, shared by the HTTP route and `eduhub report`:

    built = await build_report(schema, settings, slug="budget-summary", group_by=["PROGRAM"],
                               unit="천원", conditions={}, viewer=None)
    built.content, built.filename

Parse and check the request against the schema, run the summary as `viewer`, then lay out the
workbook. Any `ReportError` comes before a byte of the file exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import strawberry

from api.reports import labels
from api.reports.catalog import report_named
from api.reports.filename import report_filenames
from api.reports.request import parse_request
from api.reports.shape import shape_of
from api.reports.summary_query import run_summary
from api.reports.workbook import ReportContext, build_workbook
from models.actor import Actor
from schema.context import Context
from schema.settings import SchemaSettings
from sync.conflicts import resolve_conflict

SEOUL = ZoneInfo("Asia/Seoul")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class BuiltReport:
    content: bytes
    filename: str  # Korean
    ascii_filename: str
    taken_at: datetime


async def build_report(
    schema: strawberry.Schema,
    settings: SchemaSettings,
    *,
    slug: str,
    group_by: Sequence[str],
    unit: str | None,
    conditions: Mapping[str, Sequence[str]],
    viewer: Actor | None,
    now: datetime | None = None,
) -> BuiltReport:
    report = report_named(slug)
    request = parse_request(
        report, shape_of(schema, report), group_by=group_by, unit=unit, conditions=conditions
    )
    taken_at = (now or datetime.now(SEOUL)).astimezone(SEOUL)
    # The resolver is never called (a report only reads) but the context is the API's own type.
    context = Context(viewer=viewer, settings=settings, resolve_conflict=resolve_conflict)
    answer = await run_summary(schema, request, context)
    content = build_workbook(request, answer, ReportContext(taken_at=taken_at, viewer=viewer_label(viewer)))
    filename, ascii_filename = report_filenames(request, taken_at)
    return BuiltReport(content, filename, ascii_filename, taken_at)


def viewer_label(viewer: Actor | None) -> str:
    """As whom the figures were read, for the workbook (never the token's secret)."""
    if viewer is None or viewer.role is None:
        return "공개 (토큰 없음): 누구나 조회할 수 있는 집계만"
    return f"{labels.ROLE_LABELS[viewer.role]} 토큰 · {viewer.name}"
