"""Text no database can store (U+0000, unpaired surrogates) is a clear BAD_USER_INPUT error on
both engines, found in variables or literals, before anything runs; ordinary text passes."""

from __future__ import annotations

from models.school import School
from tests.schema.schema_kit import Run

CREATE = """mutation($input: SchoolCreateInput!) {
  schoolCreate(input: $input) { school { id name } userErrors { code } } }"""
SCHOOL = {"code": "J1", "name": "미사초등학교", "level": "ELEMENTARY", "district": "미사", "students": 1}


def _refusal(body: dict[str, object]) -> str:
    assert body["data"] is None, body
    errors = body["errors"]
    assert isinstance(errors, list) and len(errors) == 1
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT"}
    message: str = errors[0]["message"]
    assert "저장할 수 없는 문자" in message
    return message


async def test_a_nul_in_a_mutation_variable_is_refused_and_writes_nothing(run: Run, db: str) -> None:
    message = _refusal(await run(CREATE, {"input": {**SCHOOL, "name": "미사\x00초"}}))
    assert "$.input.name" in message
    assert await School.all().count() == 0


async def test_filters_and_lookups_are_guarded_too(run: Run, db: str) -> None:
    filtered = "query($f: SchoolFilter) { schools(filter: $f) { totalCount } }"
    message = _refusal(await run(filtered, {"f": {"districts": ["미사", "위례\x00"]}}, viewer="anonymous"))
    assert "$.f.districts[1]" in message
    _refusal(await run('{ school(code: "J\\u0000") { name } }', viewer="anonymous"))
    lone = "query($q: String!) { schools(filter: {nameContains: $q}) { totalCount } }"
    assert "$.q" in _refusal(await run(lone, {"q": "미사\ud800"}, viewer="anonymous"))
    # In a literal, graphql-core's parser already refuses a lone surrogate escape, readably.
    syntax = await run('{ schools(filter: {nameContains: "\\ud800"}) { totalCount } }', viewer="anonymous")
    assert "Invalid Unicode escape" in syntax["errors"][0]["message"]


async def test_ordinary_text_with_emoji_and_quotes_passes(run: Run, db: str) -> None:
    name = "미사초 😀 '학교' \"별관\" <b>&</b> \\ 😀"
    body = await run(CREATE, {"input": {**SCHOOL, "name": name}})
    assert body["data"]["schoolCreate"]["school"]["name"] == name, body
