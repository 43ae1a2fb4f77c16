"""Property: for any read query, the planned path answers byte for byte what graphql-core does.

Generated over the real schema and a world built through the service layer (one school, one
program and one budget line archived), for anonymous, partner and admin callers, on both
engines: once from this suite's strategy of realistic reads (`query_strategy`), once from
hypothesis-graphql's queries over the planned root fields. The two schemas differ only in
`planned`, and each answer is encoded as the HTTP body is (orjson).
"""

from __future__ import annotations

import warnings
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning
from hypothesis_graphql import queries

from models.actor import SYSTEM_ACTOR
from models.services import budget_lines, programs, schools
from models.services.schools import SchoolFields
from models.services.write_scope import write_scope
from schema.context import Context
from schema.loaders import Loaders
from schema.planned.execution import outcomes_of
from schema.root import PLANNED_ROOTS, PLANNED_SUMMARIES, build_schema
from sync.conflicts import resolve_conflict
from tests.schema.planned.query_strategy import read_queries
from tests.schema.schema_kit import VIEWERS, World, WorldFactory, settings_for
from tests.schema.summary_world import build_summary_world, summary_query

PLANNED_SCHEMA = build_schema(settings_for("sqlite://:memory:"))
EXECUTOR_SCHEMA = build_schema(settings_for("sqlite://:memory:"), planned=False)
VIEWER_NAMES = st.sampled_from(["anonymous", "partner", "admin"])
EXAMPLES = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
async def world(db: str, make_world: WorldFactory) -> str:
    """The shared read-only world, with archived records for `includeArchived` to find."""
    built = await make_world()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.archive(scope, built.lines[1])
        for line in built.lines[6:9]:  # programs[2]'s: a program with live lines stays live
            await budget_lines.archive(scope, line)
        await programs.archive(scope, built.programs[2])
        closed: SchoolFields = {"code": "S0999", "name": "폐교된학교", "level": built.schools[0].level}
        await schools.archive(
            scope, await schools.create(scope, {**closed, "district": "미사", "students": 0})
        )
    return db


async def _body(schema: Any, db: str, query: str, variables: dict[str, Any], viewer: str) -> bytes:
    context = Context(
        viewer=VIEWERS[viewer],
        settings=settings_for(db),
        resolve_conflict=resolve_conflict,
        loaders=Loaders(),
    )
    result = await schema.execute(query, variable_values=variables, context_value=context)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    return orjson.dumps(body)


async def _same(db: str, query: str, variables: dict[str, Any], viewer: str) -> None:
    planned = await _body(PLANNED_SCHEMA, db, query, variables, viewer)
    executed = await _body(EXECUTOR_SCHEMA, db, query, variables, viewer)
    assert planned == executed, query


@EXAMPLES
@given(drawn=read_queries(PLANNED_SCHEMA._schema), viewer=VIEWER_NAMES)
async def test_realistic_reads_answer_the_same(
    world: str, drawn: tuple[str, dict[str, Any]], viewer: str
) -> None:
    await _same(world, drawn[0], drawn[1], viewer)


@EXAMPLES
@given(
    query=queries(
        PLANNED_SCHEMA._schema, fields=sorted([*PLANNED_ROOTS, *PLANNED_SUMMARIES]), allow_x00=False
    ),
    viewer=VIEWER_NAMES,
)
async def test_generated_queries_answer_the_same(world: str, query: str, viewer: str) -> None:
    await _same(world, query, {}, viewer)


async def test_the_realistic_reads_mostly_take_the_planned_path(world: str) -> None:
    """The property above is about the planned path only if it runs: many draws are planned."""
    before = outcomes_of(PLANNED_SCHEMA).copy()
    strategy = read_queries(PLANNED_SCHEMA._schema)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)  # drawn outside @given on purpose
        drawn = [strategy.example() for _ in range(40)]
    for query, variables in drawn:
        await _body(PLANNED_SCHEMA, world, query, variables, "admin")
    counted = outcomes_of(PLANNED_SCHEMA) - before
    assert counted["planned"] >= 10, dict(counted)
    assert counted["unplanned"] + counted["fallback"] >= 1, dict(counted)  # and some are not


@pytest.fixture
async def summary_world(db: str, make_world: WorldFactory) -> tuple[str, World]:
    """Partners of two kinds, sessions, an archived line and program: every summary dimension."""
    return db, await build_summary_world(make_world)


@EXAMPLES
@given(rng=st.randoms(use_true_random=False), viewer=VIEWER_NAMES)
async def test_summaries_answer_the_same(summary_world: tuple[str, World], rng: Any, viewer: str) -> None:
    """Random groupBy (repeats too), filters and selections of budgetSummary and activitySummary:
    the planned groups (one GROUP BY, dicts straight into the response) are the executor's."""
    db, world = summary_world
    before = outcomes_of(PLANNED_SCHEMA)["planned"]
    query = summary_query(rng, world)
    await _same(db, query, {}, viewer)
    assert outcomes_of(PLANNED_SCHEMA)["planned"] == before + 1, query  # it did take the planned path
