"""A query is answered by its plans directly once a normal run has taught it,
and the answer is byte for byte the normal run's, whoever asks and whatever the rows are now.

Requests go over HTTP to `create_app` (the direct path sits before strawberry). Each check asks
an app that has learnt the query and a fresh one that has not, and compares status, headers
(without the request id) and body.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries
from starlette.applications import Starlette

from api.app import create_app
from models.actor import SYSTEM_ACTOR
from models.enums import Role
from models.services import schools, tokens
from models.services.write_scope import write_scope
from schema.planned import nodes
from schema.planned.execution import outcomes_of
from schema.root import PLANNED_ROOTS, PLANNED_SUMMARIES, build_schema
from tests.api.api_kit import make_settings
from tests.schema.planned.query_strategy import read_queries
from tests.schema.schema_kit import WorldFactory, settings_for

SCHEMA = build_schema(settings_for("sqlite://:memory:"))
ONE_SCHOOL = 'query One { school(code: "S0000") { code name programs { code name category } } }'
LINES = "query Lines { programs(first: 3) { nodes { code budgetLines { allocated executed } } } }"
Answer = tuple[int, list[tuple[str, str]], bytes]


def _app(db: str) -> Starlette:
    return create_app(make_settings(db, response_cache=False), manage_database=False)


async def _ask(
    app: Starlette, query: str, secret: str | None, variables: dict[str, Any] | None = None
) -> Answer:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    body: dict[str, Any] = {"query": query} | ({"variables": variables} if variables else {})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        response = await client.post("/graphql", json=body, headers=headers)
    kept = [(k, v) for k, v in response.headers.multi_items() if k != "x-request-id"]
    return response.status_code, kept, response.content


def _direct(app: Starlette) -> int:
    return outcomes_of(app.state.schema)["direct"]


@pytest.fixture
async def secrets(db: str, make_world: WorldFactory) -> dict[str, str | None]:
    await make_world()
    made = {role.value: (await tokens.create(name=role.value, role=role))[1] for role in Role}
    return {"anonymous": None, **made}


async def test_a_repeated_query_is_answered_directly_and_alike(
    db: str, secrets: dict[str, str | None]
) -> None:
    app = _app(db)
    first = await _ask(app, ONE_SCHOOL, None)
    before = _direct(app)
    again = await _ask(app, ONE_SCHOOL, None)
    assert _direct(app) == before + 1  # taught by the first run, answered directly now
    assert first == again and first[0] == 200 and b'"code":"S0000"' in first[2]


async def test_what_the_rows_say_now_is_answered(db: str, secrets: dict[str, str | None]) -> None:
    app = _app(db)
    query = "query Schools { schools(first: 50) { totalCount nodes { code } } }"
    await _ask(app, query, None)
    async with write_scope(SYSTEM_ACTOR) as scope:
        fields: Any = {"code": "S0777", "name": "새학교", "level": "ELEMENTARY", "district": "미사"}
        await schools.create(scope, fields)
    before = _direct(app)
    answer = await _ask(app, query, None)
    assert _direct(app) == before + 1 and b'"code":"S0777"' in answer[2]
    assert answer == await _ask(_app(db), query, None)


async def test_a_viewer_the_plan_refuses_gets_the_normal_answer(
    db: str, secrets: dict[str, str | None]
) -> None:
    app = _app(db)
    taught = await _ask(app, LINES, secrets["partner"])  # partners read budget lines
    assert taught[0] == 200 and b"allocated" in taught[2]
    before = _direct(app)
    refused = await _ask(app, LINES, None)  # anonymous does not: the normal run words the error
    assert _direct(app) == before
    assert refused == await _ask(_app(db), LINES, None) and b"errors" in refused[2]


async def test_a_query_with_variables_is_answered_directly_when_they_coerce(
    db: str, secrets: dict[str, str | None]
) -> None:
    app, fresh = _app(db), _app(db)
    query = "query One($code: String!, $names: Boolean!) "
    query += "{ school(code: $code) { code name @include(if: $names) } }"
    await _ask(app, query, None, {"code": "S0000", "names": True})
    for variables in ({"code": "S0001", "names": True}, {"code": "nope", "names": True}):
        before = _direct(app)
        assert await _ask(app, query, None, variables) == await _ask(fresh, query, None, variables)
        assert _direct(app) == before + 1
    handed_over: list[dict[str, Any]] = [
        {"code": "S0000", "names": False},  # no plan for this @include value yet: the normal run makes it
        {"code": 5, "names": True},  # a coercion error
        {"code": "S\u0000", "names": True},  # unstorable text: refused before anything runs
        {"names": True},  # a missing variable
    ]
    for variables in handed_over:
        before = _direct(app)
        assert await _ask(app, query, None, variables) == await _ask(fresh, query, None, variables)
        assert _direct(app) == before, variables
    before = _direct(app)
    await _ask(app, query, None, {"code": "S0003", "names": False})  # planned by the run before
    assert _direct(app) == before + 1


async def test_a_fault_in_the_direct_answer_hands_over(
    db: str, secrets: dict[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(db)
    expected = await _ask(app, ONE_SCHOOL, None)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(nodes.Run, "rows", broken)  # the plan fails; the executor still answers
    assert await _ask(app, ONE_SCHOOL, None) == expected


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=queries(SCHEMA._schema, fields=sorted([*PLANNED_ROOTS, *PLANNED_SUMMARIES]), allow_x00=False),
    teacher=st.sampled_from(["anonymous", "partner", "admin"]),
    asker=st.sampled_from(["anonymous", "partner", "admin"]),
)
async def test_generated_queries_answer_alike_for_whoever_asks_after(
    db: str, secrets: dict[str, str | None], query: str, teacher: str, asker: str
) -> None:
    learnt = _app(db)
    await _ask(learnt, query, secrets[teacher])
    assert await _ask(learnt, query, secrets[asker]) == await _ask(_app(db), query, secrets[asker])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    taught=read_queries(SCHEMA._schema),
    asked=read_queries(SCHEMA._schema),
    teacher=st.sampled_from(["anonymous", "partner", "admin"]),
    asker=st.sampled_from(["anonymous", "partner", "admin"]),
)
async def test_realistic_reads_answer_alike_with_other_variables(
    db: str,
    secrets: dict[str, str | None],
    taught: tuple[str, dict[str, Any]],
    asked: tuple[str, dict[str, Any]],
    teacher: str,
    asker: str,
) -> None:
    # The text one read taught, asked with the variables another drew (where their names fit).
    query, variables = taught
    other = {name: asked[1].get(name, value) for name, value in variables.items()}
    learnt = _app(db)
    await _ask(learnt, query, secrets[teacher], variables)
    fresh = await _ask(_app(db), query, secrets[asker], other)
    assert await _ask(learnt, query, secrets[asker], other) == fresh
