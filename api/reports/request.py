"""A report request as people type it (URL parameters, CLI options) -> checked GraphQL variables.

Every mistake is a `BadReportRequest` naming what was wrong and what is allowed, in Korean,
before anything runs:

    parse_request(BUDGET_SUMMARY, shape, group_by=["PROGRAM,FUNDER"], unit="천원",
                  conditions={"fiscalYears": ["2025"]})
    # -> group_by ("PROGRAM", "FUNDER"), unit 천원, filter {"fiscalYears": [2025]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from api.reports import labels
from api.reports.catalog import SummaryReport
from api.reports.errors import BadReportRequest
from api.reports.shape import Condition, SummaryShape
from api.reports.units import MoneyUnit, parse_unit

_TRUE, _FALSE = {"true", "1", "yes", "예"}, {"false", "0", "no", "아니오"}


@dataclass(frozen=True)
class ReportRequest:
    report: SummaryReport
    shape: SummaryShape
    group_by: tuple[str, ...]
    unit: MoneyUnit
    filter: dict[str, Any] = field(default_factory=dict)  # the GraphQL `filter` variable


def parse_request(
    report: SummaryReport,
    shape: SummaryShape,
    *,
    group_by: Sequence[str],
    unit: str | None,
    conditions: Mapping[str, Sequence[str]],
) -> ReportRequest:
    """Checked grouping, unit and conditions; values may also come comma-separated (`A,B`)."""
    return ReportRequest(
        report=report,
        shape=shape,
        group_by=_dimensions(shape, _split(group_by)),
        unit=parse_unit(unit),
        filter={name: _condition(shape, name, _split(values)) for name, values in conditions.items()},
    )


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _dimensions(shape: SummaryShape, names: list[str]) -> tuple[str, ...]:
    chosen = [name.upper() for name in names]
    unknown = [name for name in chosen if name not in shape.dimensions]
    if unknown:
        allowed = ", ".join(f"{d}({labels.dimension_header(d)})" for d in shape.dimensions)
        raise BadReportRequest(
            f"알 수 없는 집계 기준입니다: {', '.join(unknown)}. 쓸 수 있는 기준: {allowed}"
        )
    return tuple(dict.fromkeys(chosen))  # a repeated dimension adds nothing


def _condition(shape: SummaryShape, name: str, values: list[str]) -> Any:
    condition = shape.conditions.get(name)
    if condition is None:
        allowed = ", ".join(f"{n}({labels.condition_label(n)})" for n in shape.conditions)
        raise BadReportRequest(f"알 수 없는 조건 {name!r}입니다. 쓸 수 있는 조건: {allowed}")
    if not values:
        raise BadReportRequest(f"조건 {name}({labels.condition_label(name)})에 값이 없습니다.")
    parsed = [_value(condition, value) for value in values]
    if condition.is_list:
        return parsed
    if len(parsed) > 1:
        raise BadReportRequest(f"조건 {name}({labels.condition_label(name)})에는 값 하나만 줄 수 있습니다.")
    return parsed[0]


def _value(condition: Condition, text: str) -> Any:
    where = f"조건 {condition.name}({labels.condition_label(condition.name)})"
    if condition.enum_values is not None:
        if text.upper() not in condition.enum_values:
            allowed = ", ".join(
                f"{v}({labels.value_label(condition.type_name, v)})" for v in condition.enum_values
            )
            raise BadReportRequest(f"{where}의 값 {text!r}는 없습니다. 쓸 수 있는 값: {allowed}")
        return text.upper()
    if condition.type_name == "Int":
        try:
            return int(text)
        except ValueError:
            raise BadReportRequest(f"{where}의 값 {text!r}는 정수가 아닙니다.") from None
    if condition.type_name == "Boolean":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise BadReportRequest(f"{where}의 값 {text!r}는 true 또는 false여야 합니다.")
    return text
