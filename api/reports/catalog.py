"""The summaries a report can be made of: one `SummaryReport` entry each.

A summary is any query field shaped like `budgetSummary`: `(groupBy: [SomeDimension!]!, filter:)`
returning groups with `keys { dimension value label }` and figures. The report reads the
grouping and the conditions from the schema itself (`api.reports.shape`), so another summary
(e.g. `activitySummary`) is one more entry here, with its title and the figures to show::

    REPORTS["activity-summary"] = SummaryReport(
        slug="activity-summary", field="activitySummary", title="하남 교육협력 운영 실적 집계",
        file_stem="운영실적집계",
        measures=(Measure("sessions", "운영 횟수", COUNT), Measure("participants", "참여 학생 수", COUNT),
                  Measure("wonPerParticipant", "1인당 금액", MONEY)),
    )
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from api.reports.errors import BadReportRequest


class MeasureKind(StrEnum):
    MONEY = "MONEY"  # whole won from the API, shown in the report's unit
    RATE = "RATE"  # 0.0 to 1.0, shown as a percentage
    COUNT = "COUNT"  # a whole number
    TENTHS = "TENTHS"  # exact to a tenth from the API as decimal text (hours), shown as a number


MONEY, RATE, COUNT, TENTHS = MeasureKind.MONEY, MeasureKind.RATE, MeasureKind.COUNT, MeasureKind.TENTHS


@dataclass(frozen=True)
class Measure:
    """One figure of a group: its GraphQL field, its Korean column header and how it is shown."""

    field: str
    header: str
    kind: MeasureKind


@dataclass(frozen=True)
class SummaryReport:
    """A summary query turned into a workbook."""

    slug: str  # /reports/<slug>.xlsx and `eduhub report <slug>`
    field: str  # the query field, e.g. budgetSummary
    title: str  # the workbook's title (Korean)
    file_stem: str  # the start of the downloaded file's name (Korean)
    ascii_stem: str  # the same for clients that cannot read RFC 5987 names
    measures: tuple[Measure, ...]
    # Said under the title when the report is grouped by the dimension (why its rows overlap...).
    dimension_notes: Mapping[str, str] = dataclasses.field(default_factory=dict)


BUDGET_SUMMARY = SummaryReport(
    slug="budget-summary",
    field="budgetSummary",
    title="하남 교육협력 예산 집계",
    file_stem="예산집계",
    ascii_stem="budget-summary",
    measures=(
        Measure("allocated", "배정액", MONEY),
        Measure("executed", "집행액", MONEY),
        Measure("executionRate", "집행률", RATE),
        Measure("lineCount", "예산 항목 수", COUNT),
    ),
    dimension_notes={
        "PARTNER_KIND": "교육자원 유형별 묶음: 한 사업이 여러 유형의 교육자원과 함께하면 각 유형에 모두 "
        "들어가므로, 묶음을 더한 값이 합계보다 클 수 있습니다. 합계는 조건에 맞는 예산 전체입니다.",
    },
)

ACTIVITY_SUMMARY = SummaryReport(
    slug="activity-summary",
    field="activitySummary",
    title="하남 교육협력 운영 실적 집계",
    file_stem="운영실적집계",
    ascii_stem="activity-summary",
    measures=(
        Measure("sessions", "운영 횟수", COUNT),
        Measure("participants", "참여 인원", COUNT),
        Measure("elementary", "초등", COUNT),
        Measure("middle", "중등", COUNT),
        Measure("high", "고등", COUNT),
        Measure("special", "특수", COUNT),
        Measure("hours", "운영 시간", TENTHS),
        Measure("executed", "집행액", MONEY),
        Measure("wonPerParticipant", "1인당 집행액", MONEY),
    ),
    dimension_notes={
        "PARTNER_KIND": "교육자원 유형별 묶음: 운영 실적은 진행한 교육자원의 유형으로 묶고, 집행액은 그 "
        "사업의 집행액을 각 유형에 모두 넣으므로 묶음의 집행액을 더한 값이 합계보다 클 수 있습니다.",
    },
)

REPORTS: dict[str, SummaryReport] = {report.slug: report for report in [BUDGET_SUMMARY, ACTIVITY_SUMMARY]}


def report_named(slug: str) -> SummaryReport:
    """The catalog entry for `slug`; an unknown one is a `BadReportRequest` in Korean."""
    try:
        return REPORTS[slug]
    except KeyError:
        known = ", ".join(REPORTS)
        raise BadReportRequest(f"알 수 없는 보고서 {slug!r}입니다. 만들 수 있는 보고서: {known}") from None
