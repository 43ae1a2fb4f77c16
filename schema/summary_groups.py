"""What `budgetSummary` and `activitySummary` share: a group's keys, labels, typed fields and order.

Both summaries group by the same dimensions (SCHOOL, PROGRAM, CATEGORY, FISCAL_YEAR, DISTRICT,
LEVEL, PARTNER_KIND; budgets also by FUNDER). A group is built here as a plain dict of the
group type's Python field names, so the planned path turns it straight into the response and
the executor path into the strawberry object, from the very same values::

    shape = GroupShape([BudgetDimension.FUNDER], BUDGET_PLACES, ["funder"], [None])  # once a summary
    group = shape.group({"funder": "CITY", "allocated_sum": 5})
    group["funder"], group["keys"][0]["label"]  # Funder.CITY, "하남시"
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from models.enums import (
    FUNDER_LABELS,
    PARTNER_KIND_LABELS,
    PROGRAM_CATEGORY_LABELS,
    SCHOOL_LEVEL_LABELS,
    Funder,
    PartnerKind,
    ProgramCategory,
    SchoolLevel,
)

DimensionT = TypeVar("DimensionT", bound=Enum)
CITY_WIDE_LABEL = "시 전체 (학교 없음)"
NO_PARTNER_LABEL = "없음"


def _same(raw: Any) -> Any:
    return raw


def _optional(kind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda raw: None if raw is None else kind(raw)


@dataclass(frozen=True)
class Dimension:
    """One grouping dimension: the group fields it fills and how its key reads in Korean."""

    key_field: str  # the group field holding the typed key (school_code, funder, ...)
    label_field: str | None  # the group field holding the name, for SCHOOL and PROGRAM
    typed: Callable[[Any], Any]  # the column's value -> the key field's value
    label: Callable[[Any, Any], str]  # (typed key, name) -> what people read


DIMENSIONS: dict[str, Dimension] = {
    "SCHOOL": Dimension("school_code", "school_name", _same, lambda _, name: name or CITY_WIDE_LABEL),
    "PROGRAM": Dimension("program_code", "program_name", _same, lambda _, name: name or ""),
    "CATEGORY": Dimension("category", None, ProgramCategory, lambda key, _: PROGRAM_CATEGORY_LABELS[key]),
    "FUNDER": Dimension("funder", None, Funder, lambda key, _: FUNDER_LABELS[key]),
    "FISCAL_YEAR": Dimension("fiscal_year", None, int, lambda key, _: f"{key}년"),
    "DISTRICT": Dimension("district", None, _same, lambda key, _: key or CITY_WIDE_LABEL),
    "LEVEL": Dimension(
        "level",
        None,
        _optional(SchoolLevel),
        lambda key, _: CITY_WIDE_LABEL if key is None else SCHOOL_LEVEL_LABELS[key],
    ),
    "PARTNER_KIND": Dimension(
        "partner_kind",
        None,
        _optional(PartnerKind),
        lambda key, _: NO_PARTNER_LABEL if key is None else PARTNER_KIND_LABELS[key],
    ),
}

# The dimension fields of each group type, all null until grouped by.
PLACE_FIELDS = (
    "school_code",
    "school_name",
    "program_code",
    "program_name",
    "category",
    "fiscal_year",
    "district",
    "level",
    "partner_kind",
)
BUDGET_PLACES: Mapping[str, None] = dict.fromkeys((*PLACE_FIELDS, "funder"))
ACTIVITY_PLACES: Mapping[str, None] = dict.fromkeys(PLACE_FIELDS)


def unique(group_by: Sequence[DimensionT]) -> list[DimensionT]:
    """The dimensions in `groupBy` order; a repeated one adds nothing."""
    return list(dict.fromkeys(group_by))


class GroupShape:
    """What every group of one summary request shares, found once for all its rows.

    An Enum's hash and `.value` are Python-level calls; looked up per row and per key (the
    dimension's spec, whether it sorts as a number) they cost more than the rest of a group.
    """

    def __init__(
        self,
        dimensions: Sequence[Enum],
        places: Mapping[str, None],
        key_columns: Sequence[str],
        name_columns: Sequence[str | None],
    ) -> None:
        """`key_columns[i]`: the result column holding the i-th dimension's raw key;
        `name_columns[i]`: the one holding its name (SCHOOL, PROGRAM), else None."""
        self.dimensions = tuple(dimensions)
        self.places = places
        self._keys = list(
            zip(self.dimensions, _specs(self.dimensions), key_columns, name_columns, strict=True)
        )
        # How each key sorts: a year as a number, anything else as text; absent (None) last.
        self._orders = tuple(
            _year_order if dimension.value == "FISCAL_YEAR" else _text_order for dimension in self.dimensions
        )

    def group(self, row: Any) -> dict[str, Any]:
        """The group of a result row (read by column name), as {field: value, "keys": [{dimension,
        value, label}]}: every place field, the grouped ones set. The caller adds the figures."""
        group: dict[str, Any] = dict(self.places)
        found: list[dict[str, Any]] = []
        for dimension, spec, key_column, name_column in self._keys:
            raw = row[key_column]
            name = None if name_column is None else row[name_column]
            typed = spec.typed(raw)
            group[spec.key_field] = typed
            if spec.label_field is not None:
                group[spec.label_field] = name
            value = None if raw is None else str(raw)
            found.append({"dimension": dimension, "value": value, "label": spec.label(typed, name)})
        group["keys"] = found
        return group

    def sort(self, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Ordered by their keys in `groupBy` order; years as numbers, absent keys (city-wide, no
        partner) last, the same on both engines (the database's collation plays no part)."""
        orders = self._orders
        if len(orders) == 1:  # the common case, without a tuple per group (500 programs: a third less)
            order = orders[0]
            groups.sort(key=lambda group: order(group["keys"][0]["value"]))
        elif orders:
            groups.sort(
                key=lambda group: tuple(
                    order(key["value"]) for order, key in zip(orders, group["keys"], strict=True)
                )
            )
        return groups


@cache
def _specs(dimensions: tuple[Enum, ...]) -> list[Dimension]:
    return [DIMENSIONS[dimension.value] for dimension in dimensions]


def _text_order(value: str | None) -> tuple[bool, str]:
    return (value is None, value or "")


def _year_order(value: str | None) -> tuple[bool, int]:
    return (value is None, 0 if value is None else int(value))
