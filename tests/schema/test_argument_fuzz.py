"""Generated values at every argument of the schema never end in a masked "Unexpected error.".

Every root field with arguments (queries, mutations, subscriptions) is called with values drawn
from its introspected type (`tests/schema/argument_fuzz.py`): codes longer than their column,
ids and cursors beyond 64 bits or with non-ASCII digits, lists longer than the server allows.
Whatever a value is, the answer is data, a readable error (BAD_USER_INPUT, FORBIDDEN, a
validation error) or a `userError`, on SQLite and PostgreSQL alike. CI draws a few hundred
operations per engine; `bench/argument_fuzz.py` draws many more (ARGUMENT_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
from graphql import GraphQLFormattedError
from hypothesis import HealthCheck, given, settings
from strawberry.types import ExecutionResult

from api.live.runtime import live_runtime
from pubsub import MemoryPubSub
from schema.context import Context
from schema.errors import UNEXPECTED_ERROR_MESSAGE
from schema.loaders import Loaders
from schema.root import build_schema
from sync.conflicts import resolve_conflict
from tests.schema.argument_fuzz import Operation, argument_count, operations
from tests.schema.schema_kit import VIEWERS, build_world, settings_for

EXAMPLES = int(os.environ.get("ARGUMENT_FUZZ_EXAMPLES", "250"))
SETTINGS = settings_for("sqlite://:memory:")
SCHEMA = build_schema(SETTINGS)
GRAPHQL_SCHEMA = SCHEMA._schema
LONG_LIST = SETTINGS.max_list_length + 1
QUIET_SECONDS = 0.05


@pytest.fixture
async def live(db: str) -> AsyncIterator[None]:
    await build_world(schools_count=2, programs_per_school=1, lines_per_program=2)
    async with live_runtime(MemoryPubSub()):
        yield


async def _execute(operation: Operation, db: str) -> list[GraphQLFormattedError]:
    context = Context(
        viewer=VIEWERS["staff"],
        settings=settings_for(db),
        resolve_conflict=resolve_conflict,
        loaders=Loaders(),
    )
    if operation.root != "subscription":
        result = await SCHEMA.execute(
            operation.document, variable_values=operation.variables, context_value=context
        )
        return [error.formatted for error in result.errors or []]
    stream = await SCHEMA.subscribe(
        operation.document, variable_values=operation.variables, context_value=context
    )
    if isinstance(stream, ExecutionResult):
        return [error.formatted for error in stream.errors or []]
    try:
        # `changes` answers only when something changes: listening quietly is no error.
        first = await asyncio.wait_for(anext(stream), QUIET_SECONDS)
    except TimeoutError:
        return []
    finally:
        await stream.aclose()
    return [error.formatted for error in first.errors or []]


def test_the_generator_covers_every_argument() -> None:
    # Every root field with arguments is reachable: a new argument is fuzzed without a test change.
    assert argument_count(GRAPHQL_SCHEMA) >= 40


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operation=operations(GRAPHQL_SCHEMA, long_list=LONG_LIST))
async def test_no_argument_value_ends_in_a_masked_error(live: None, db: str, operation: Operation) -> None:
    errors = await _execute(operation, db)
    masked = [e for e in errors if e["message"] == UNEXPECTED_ERROR_MESSAGE]
    assert not masked, (operation.document, operation.variables, errors)
