"""What the planner answers itself and what it leaves to graphql-core, with equal answers."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from schema.context import Context
from schema.loaders import Loaders
from schema.planned.execution import outcomes_of
from schema.root import build_schema
from sync.conflicts import resolve_conflict
from tests.schema.schema_kit import VIEWERS, WorldFactory, settings_for


async def _both(db: str, query: str, variables: dict[str, Any] | None, viewer: str) -> tuple[Any, Any, str]:
    """(planned body, executor body, outcome of the planned schema for this operation)."""
    bodies = []
    outcome = ""
    for planned in (True, False):
        schema = build_schema(settings_for(db), planned=planned)
        context = Context(
            viewer=VIEWERS[viewer],
            settings=settings_for(db),
            resolve_conflict=resolve_conflict,
            loaders=Loaders(),
        )
        counts = dict(outcomes_of(schema))
        result = await schema.execute(query, variable_values=variables, context_value=context)
        if planned:
            after = outcomes_of(schema)
            changed = [
                name for name in ("planned", "fallback", "unplanned") if after[name] != counts.get(name, 0)
            ]
            outcome = changed[0] if changed else "none"
        bodies.append({"data": result.data, "errors": [e.formatted for e in result.errors or []]})
    return bodies[0], bodies[1], outcome


PLANNED = [
    "{ schools { edges { cursor node { id code name level district students createdAt archivedAt } } "
    "pageInfo { hasNextPage endCursor } totalCount } }",
    "{ schools(first: 2) { nodes { code programs { code schoolCode school { code } } } } }",
    '{ a: school(code: "S0001") { __typename n: name programs { name } } b: school(code: "nope") { code } }',
    "{ programs(filter: {cityWide: true}) { nodes { code school { code } schoolCode } } }",
    "query Q($f: Boolean!) { programs(orderBy: [{field: NAME, direction: DESC}]) { nodes { code "
    "... on Program { name } ...P @include(if: $f) } } } fragment P on Program { fiscalYear status }",
    '{ partners { totalCount nodes { code kind } } partner(code: "x") { code } }',
    "{ budgetSummary(groupBy: [FUNDER, FUNDER, SCHOOL]) { __typename allocated executionRate "
    "k: keys { dimension value label } schoolName } t: budgetSummary(groupBy: []) { lineCount } }",
    "{ activitySummary(groupBy: [PARTNER_KIND], filter: {fiscalYears: [2025]}) { keys { label } sessions "
    "hours wonPerParticipant } schools { totalCount } }",
]
PLANNED_FOR_READERS = [
    "{ budgetLines(first: 5) { nodes { id allocated executed executionRate funder program { code } } } }",
    "{ schools { nodes { programs { budgetLines { allocated note } } } } }",
]
UNPLANNED = [
    "{ schools { nodes { code } } syncStatus { pendingChanges } }",
    "{ programs { nodes { partners { role } } } }",
    "{ __schema { queryType { name } } }",
    "{ schools { pageInfo { __typename } } }",
    # Types the planner does not know (agreements, allocations) fall to the executor whole.
    "{ agreements { totalCount nodes { code supplementaryAgreements { code } } } }",
    '{ program(code: "PS0000") { code allocations { total shares { amount } budgeted { amount } } } }',
]
FALLING_BACK = [
    ("{ schools(first: 1000) { nodes { code } } }", "admin"),
    ('{ schools(after: "bad") { nodes { code } } }', "admin"),
    ("{ schools { nodes { programs { budgetLines { allocated } } } } }", "anonymous"),
    ("{ budgetLines { nodes { id } } }", "anonymous"),
    (
        '{ budgetSummary(groupBy: [FUNDER], filter: {schoolCodes: ["%s"]}) { allocated } }' % ("S" * 300),
        "admin",
    ),
]


@pytest.mark.parametrize("query", PLANNED)
async def test_plain_reads_are_planned_and_equal(db: str, make_world: WorldFactory, query: str) -> None:
    await make_world()
    planned, executed, outcome = await _both(db, query, {"f": True}, "anonymous")
    assert outcome == "planned"
    assert planned == executed
    assert not executed["errors"]


@pytest.mark.parametrize("viewer", ["partner", "admin"])
@pytest.mark.parametrize("query", PLANNED_FOR_READERS)
async def test_budget_lines_are_planned_for_readers(
    db: str, make_world: WorldFactory, query: str, viewer: str
) -> None:
    await make_world()
    planned, executed, outcome = await _both(db, query, None, viewer)
    assert outcome == "planned"
    assert planned == executed


@pytest.mark.parametrize("query", UNPLANNED)
async def test_other_operations_go_to_the_executor(db: str, make_world: WorldFactory, query: str) -> None:
    await make_world()
    planned, executed, outcome = await _both(db, query, None, "admin")
    assert outcome == "unplanned"
    assert planned == executed


@pytest.mark.parametrize(("query", "viewer"), FALLING_BACK)
async def test_errors_fall_back_with_the_same_entries(
    db: str, make_world: WorldFactory, query: str, viewer: str, caplog: pytest.LogCaptureFixture
) -> None:
    await make_world()
    with caplog.at_level(logging.DEBUG, logger="schema.planned.execution"):
        planned, executed, outcome = await _both(db, query, None, viewer)
    assert not [r for r in caplog.records if r.name == "schema.planned.execution"]  # expected: no log
    assert outcome == "fallback"
    assert planned == executed
    assert executed["errors"]


class BrokenSettings:
    """Settings whose page size cannot be read: an unexpected error inside both paths."""

    def __init__(self, settings: Any) -> None:
        self._settings = settings

    def __getattr__(self, name: str) -> Any:
        if name == "default_page_size":
            raise RuntimeError("settings are gone")
        return getattr(self._settings, name)


async def test_an_unexpected_error_falls_back_to_the_executors_masked_error(
    db: str, make_world: WorldFactory, caplog: pytest.LogCaptureFixture
) -> None:
    await make_world()
    query = '{ schools { nodes { code } } school(code: "S0001") { code } }'
    bodies: list[dict[str, Any]] = []
    for planned in (True, False):
        schema = build_schema(settings_for(db), planned=planned)
        before = dict(outcomes_of(schema))
        context = Context(
            viewer=None,
            settings=BrokenSettings(settings_for(db)),
            resolve_conflict=resolve_conflict,
            loaders=Loaders(),
        )
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="schema.planned.execution"):
            result = await schema.execute(query, context_value=context)
        if planned:
            assert outcomes_of(schema)["fallback"] == before.get("fallback", 0) + 1
            # The planned path says what went wrong, in English, with the exception and its traceback.
            [record] = [r for r in caplog.records if r.name == "schema.planned.execution"]
            assert "planned execution of an anonymous operation failed" in record.getMessage()
            assert "RuntimeError('settings are gone')" in record.getMessage()
            assert record.exc_info is not None and record.exc_info[0] is RuntimeError
        bodies.append({"data": result.data, "errors": [e.formatted for e in result.errors or []]})
    assert bodies[0] == bodies[1]
    assert bodies[0]["data"] is None  # `schools` is non-null: its error nulls the whole answer
    assert bodies[0]["errors"][0]["message"] == "Unexpected error."
