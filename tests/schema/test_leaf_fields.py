"""Plain data fields completed directly answer exactly what graphql-core's own path answers."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.context import Context
from schema.leaf_fields import LeafFieldsExecutionContext
from schema.loaders import Loaders
from schema.root import build_schema
from sync.conflicts import resolve_conflict
from tests.schema.schema_kit import VIEWERS, WorldFactory, settings_for


class Color(Enum):
    RED = "red"


@strawberry.type
class Odd:
    name: str
    maybe: str | None
    count: int
    color: Color


@strawberry.type
class OddQuery:
    @strawberry.field
    def odds(self) -> list[Odd]:
        wrong: Any = None
        return [
            Odd(name="a", maybe=None, count=1, color=Color.RED),
            Odd(name=wrong, maybe="b", count=2, color=Color.RED),  # null for a non-null field
            Odd(name="c", maybe="c", count=2**40, color=Color.RED),  # no 32-bit Int
            Odd(name="d", maybe="d", count=3, color="purple"),  # type: ignore[arg-type]
            Odd(name="e", maybe=ValueError("boom"), count=4, color=Color.RED),  # type: ignore[arg-type]
        ]


ODD_QUERIES = [
    "{ odds { name maybe count color __typename } }",
    "{ odds { n: name m: maybe c1: count c2: count } }",
    "{ odds { name @include(if: false) maybe @skip(if: false) count } }",
    "{ odds { ...F } } fragment F on Odd { maybe color }",
]


def _outcome(result: Any) -> tuple[Any, list[dict[str, Any]]]:
    return result.data, [error.formatted for error in result.errors or []]


@pytest.mark.parametrize("query", ODD_QUERIES)
async def test_odd_values_fail_as_graphql_core_fails(query: str) -> None:
    outcomes = []
    for context_class in (StrawberryGraphQLCoreExecutionContext, LeafFieldsExecutionContext):
        schema = strawberry.Schema(query=OddQuery, execution_context_class=context_class)
        outcomes.append(_outcome(await schema.execute(query)))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1], "the odd rows raise field errors"


REAL_QUERIES = [
    "{ schools(first: 50) { totalCount nodes { id code name level district students createdAt archivedAt"
    " programs { code category status fiscalYear schoolCode budgetLines { id funder allocated executed"
    " executionRate note program { code } } } } } }",
    '{ school(code: "S0001") { __typename a: code b: code programs { ...P } } } fragment P on Program '
    "{ name description budgetLines { allocated } }",
    "{ budgetSummary(groupBy: [FUNDER, LEVEL]) { keys { dimension value label } allocated executed "
    "lineCount } }",
]


@pytest.mark.parametrize("viewer", ["partner", "anonymous"])
async def test_the_schema_answers_the_same_either_way(db: str, make_world: WorldFactory, viewer: str) -> None:
    await make_world(schools_count=4, programs_per_school=2, lines_per_program=2)
    fast = build_schema(settings_for(db))
    plain = build_schema(settings_for(db))
    plain.execution_context_class = StrawberryGraphQLCoreExecutionContext
    for query in REAL_QUERIES:
        outcomes = []
        for schema in (plain, fast):
            context = Context(
                viewer=VIEWERS[viewer],
                settings=settings_for(db),
                resolve_conflict=resolve_conflict,
                loaders=Loaders(),
            )
            outcomes.append(_outcome(await schema.execute(query, context_value=context)))
        assert outcomes[0] == outcomes[1], query
        assert outcomes[0][0] is not None


def test_the_schema_uses_the_leaf_context() -> None:
    schema = build_schema(settings_for("sqlite://:memory:"))
    # The planned execution context (schema.planned) builds on the leaf context.
    assert issubclass(schema.execution_context_class, LeafFieldsExecutionContext)
