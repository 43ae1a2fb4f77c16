"""Run a report's summary through the real GraphQL schema, as the caller, and return its groups.

The report asks exactly what a client would ask (`report_document`), with the viewer the API
would see, so a report shows what its caller may query and nothing else: a field that needs a
token refuses anonymous callers here as it does over `/graphql`. The totals row is the same
summary with no grouping, from the same execution, so it is the API's own grand total (a
grouping whose groups overlap, such as PARTNER_KIND, still gets the true total).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry

from api.reports.errors import BadReportRequest, ReportError, ReportFailed, ReportForbidden
from api.reports.request import ReportRequest
from schema.context import Context
from schema.errors import UNEXPECTED_ERROR_MESSAGE

OPERATION_NAME = "SummaryReport"


@dataclass(frozen=True)
class SummaryAnswer:
    groups: list[dict[str, Any]]  # each: keys [{dimension, value, label}] and the measures
    total: dict[str, Any] | None  # the ungrouped figures; None when nothing matched


def report_document(request: ReportRequest) -> str:
    """The GraphQL operation behind a report: the grouped figures and the grand total."""
    shape, report = request.shape, request.report
    fields = " ".join(["keys { dimension value label }", *(m.field for m in report.measures)])
    variables = [f"$groupBy: [{shape.dimension_type}!]!"]
    arguments = ""
    if shape.filter_type is not None:
        variables.append(f"$filter: {shape.filter_type}")
        arguments = ", filter: $filter"
    return (
        f"query {OPERATION_NAME}({', '.join(variables)}) {{ "
        f"groups: {report.field}(groupBy: $groupBy{arguments}) {{ {fields} }} "
        f"total: {report.field}(groupBy: []{arguments}) {{ {fields} }} }}"
    )


async def run_summary(schema: strawberry.Schema, request: ReportRequest, context: Context) -> SummaryAnswer:
    variables: dict[str, Any] = {"groupBy": list(request.group_by)}
    if request.shape.filter_type is not None:
        variables["filter"] = request.filter or None
    result = await schema.execute(
        report_document(request),
        variable_values=variables,
        context_value=context,
        operation_name=OPERATION_NAME,
    )
    if result.errors:
        raise _report_error(result.errors[0].message, result.errors[0].extensions or {})
    assert result.data is not None
    total = result.data["total"]
    return SummaryAnswer(groups=result.data["groups"], total=total[0] if total else None)


def _report_error(message: str, extensions: dict[str, Any]) -> ReportError:
    if extensions.get("code") == "FORBIDDEN":
        return ReportForbidden(message)
    if message == UNEXPECTED_ERROR_MESSAGE:
        return ReportFailed("보고서를 만드는 중에 서버 오류가 났습니다. 잠시 뒤 다시 시도하세요.")
    # Input the API itself refused (a text longer than its column, a list over the limit...).
    return BadReportRequest(f"요약 조회가 거절되었습니다: {message}")
