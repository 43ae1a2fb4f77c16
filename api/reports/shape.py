"""What a summary field accepts, read from the schema: its dimensions and its filter's conditions.

The report never keeps its own copy of the API's enums or filter inputs: a dimension or a
condition added to the schema is usable in a report at once, and one removed is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    get_named_type,
    get_nullable_type,
    is_list_type,
)

from api.reports.catalog import SummaryReport


@dataclass(frozen=True)
class Condition:
    """One field of the summary's filter input."""

    name: str  # as in GraphQL, e.g. fiscalYears
    type_name: str  # Int, String, Boolean or an enum's name
    is_list: bool
    enum_values: tuple[str, ...] | None  # the allowed values of an enum condition


@dataclass(frozen=True)
class SummaryShape:
    dimension_type: str  # e.g. BudgetDimension
    dimensions: tuple[str, ...]
    filter_type: str | None  # e.g. BudgetFilter; None when the summary takes no filter
    conditions: dict[str, Condition]


def shape_of(schema: strawberry.Schema, report: SummaryReport) -> SummaryShape:
    """The grouping and conditions of `report.field`, from the schema's own types."""
    # strawberry keeps graphql-core's schema as `_schema`; it is the one place that has the
    # arguments' types already resolved (enums, inputs) as the API validates them.
    query_type = schema._schema.query_type
    assert query_type is not None
    field = query_type.fields[report.field]
    dimension_type = get_named_type(field.args["groupBy"].type)
    assert isinstance(dimension_type, GraphQLEnumType), f"{report.field}(groupBy:) is not an enum list"
    filter_argument = field.args.get("filter")
    filter_type = None if filter_argument is None else get_named_type(filter_argument.type)
    conditions: dict[str, Condition] = {}
    if isinstance(filter_type, GraphQLInputObjectType):
        conditions = {name: _condition(name, f.type) for name, f in filter_type.fields.items()}
    return SummaryShape(
        dimension_type=dimension_type.name,
        dimensions=tuple(dimension_type.values),
        filter_type=None if filter_type is None else filter_type.name,
        conditions=conditions,
    )


def _condition(name: str, graphql_type: GraphQLInputType) -> Condition:
    named = get_named_type(graphql_type)
    values = tuple(named.values) if isinstance(named, GraphQLEnumType) else None
    return Condition(
        name=name,
        type_name=named.name,
        is_list=is_list_type(get_nullable_type(graphql_type)),
        enum_values=values,
    )
