"""Values no column can hold are the caller's readable mistake on both engines (issue 15, item 2).

Each case of the issue: a code longer than its column in a look-up or filter, ids and cursors
beyond 32 or 64 bits or with non-ASCII digits, and 40,000 codes in one variable. Queries answer
BAD_USER_INPUT; mutations answer a Korean `userError`; nothing reaches SQL.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from strawberry.relay import GlobalID

from models.school import School
from tests.schema.schema_kit import Run, WorldFactory

CODE_21 = "J" * 21  # school codes hold 20 characters
CODE_31 = "P" * 31  # program codes hold 30
DISTRICT_31 = "미" * 31
HUGE = "99999999999999999999"


def _bad_input(body: dict[str, Any], *fragments: str) -> str:
    errors = body.get("errors") or []
    assert errors, body
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", body
    message: str = errors[0]["message"]
    for fragment in fragments:
        assert fragment in message, message
    return message


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("query", "variables", "fragment"),
    [
        ("query($c: String!) { school(code: $c) { name } }", {"c": CODE_21}, "20자"),
        ("query($c: String!) { program(code: $c) { name } }", {"c": CODE_31}, "30자"),
        (
            "query($f: SchoolFilter) { schools(filter: $f) { totalCount } }",
            {"f": {"codes": [CODE_21]}},
            "codes",
        ),
        (
            "query($f: SchoolFilter) { schools(filter: $f) { totalCount } }",
            {"f": {"districts": [DISTRICT_31]}},
            "districts",
        ),
        (
            "query($f: ProgramFilter) { programs(filter: $f) { totalCount } }",
            {"f": {"schoolCodes": ["S0000", CODE_21]}},
            "schoolCodes",
        ),
        (
            "query($f: BudgetFilter) { budgetSummary(groupBy: [FUNDER], filter: $f) { allocated } }",
            {"f": {"programCodes": [CODE_31]}},
            "programCodes",
        ),
    ],
    ids=["school", "program", "school-codes", "districts", "program-school-codes", "summary-program-codes"],
)
async def test_a_string_longer_than_its_column_is_bad_user_input(
    run: Run, make_world: WorldFactory, query: str, variables: dict[str, Any], fragment: str
) -> None:
    await make_world(schools_count=1)
    _bad_input(await run(query, variables), fragment)


@pytest.mark.parametrize("node_id", [HUGE, "2147483648", "²", "٣", "1_0", "+1", " 1", "-1"])
async def test_ids_no_row_can_have_are_bad_user_input(
    run: Run, make_world: WorldFactory, node_id: str
) -> None:
    await make_world(schools_count=3)
    global_id = str(GlobalID("School", node_id))
    _bad_input(await run("query($id: ID!) { node(id: $id) { id } }", {"id": global_id}), "is not an id")
    _bad_input(await run("query($id: ID!) { history(recordId: $id) { totalCount } }", {"id": global_id}))
    # `٣` is Arabic-Indic three: int() reads it as 3, but this API never issued it.
    mutation = """mutation($input: SchoolUpdateInput!) {
      schoolUpdate(input: $input) { school { id } userErrors { field code message } } }"""
    body = await run(mutation, {"input": {"id": global_id, "name": "바뀐 이름"}})
    assert body["data"]["schoolUpdate"] == {
        "school": None,
        "userErrors": [{"field": "id", "code": "NOT_FOUND", "message": "School id을(를) 찾을 수 없습니다."}],
    }
    assert not await School.filter(name="바뀐 이름").exists()


@pytest.mark.parametrize("offset", ["9223372036854775807", HUGE, "2147483648", "²", "٣", "1_0", "-1"])
async def test_cursors_no_page_can_have_are_bad_user_input(
    run: Run, make_world: WorldFactory, offset: str
) -> None:
    await make_world(schools_count=1)
    after = _cursor(f"offset:{offset}")
    for query in (
        "query($a: String) { schools(after: $a) { totalCount } }",
        "query($a: String) { syncIssues(after: $a) { totalCount } }",
    ):
        _bad_input(await run(query, {"a": after}), "Invalid cursor")


async def test_the_last_real_cursor_still_pages(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=3)
    page = await run(
        "query($a: String) { schools(first: 1, after: $a) { nodes { code } } }", {"a": _cursor("offset:1")}
    )
    assert page["data"]["schools"]["nodes"] == [{"code": "S0002"}]


async def test_forty_thousand_codes_in_one_variable_are_refused_before_sql(run: Run, db: str) -> None:
    codes = [f"S{i:05d}" for i in range(40_000)]
    body = await run(
        "query($f: SchoolFilter) { schools(filter: $f) { totalCount } }", {"f": {"codes": codes}}
    )
    assert body["data"] is None
    _bad_input(body, "$.f.codes", "최대 200개")
    # The limit is a setting, and lists in the document are held to it too.
    literal = "{ budgetSummary(groupBy: [" + ", ".join(["FUNDER"] * 201) + "]) { allocated } }"
    _bad_input(await run(literal), "목록 값 (줄 1)")
    exactly = await run(
        "query($f: SchoolFilter) { schools(filter: $f) { totalCount } }", {"f": {"codes": codes[:200]}}
    )
    assert exactly == {"data": {"schools": {"totalCount": 0}}}


@pytest.mark.parametrize(
    ("mutation", "values", "field", "code"),
    [
        (
            "budgetLineCreate(input: $input) { budgetLine { id } userErrors { field code message } }",
            {"programCode": CODE_31, "fiscalYear": 2026, "funder": "CITY", "allocated": 1},
            "programCode",
            "UNKNOWN_PROGRAM",
        ),
        (
            "programCreate(input: $input) { program { id } userErrors { field code message } }",
            {"code": "P1", "name": "사업", "category": "OTHER", "fiscalYear": 2026, "schoolCode": CODE_21},
            "schoolCode",
            "UNKNOWN_SCHOOL",
        ),
        (
            "schoolArchive(input: $input) { school { id } userErrors { field code message } }",
            {"code": CODE_21},
            "code",
            "NOT_FOUND",
        ),
    ],
    ids=["line-program-code", "program-school-code", "archive-by-code"],
)
async def test_mutations_answer_a_korean_user_error(
    run: Run, make_world: WorldFactory, mutation: str, values: dict[str, Any], field: str, code: str
) -> None:
    await make_world(schools_count=1)
    kind = {"budgetLineCreate": "BudgetLineCreateInput", "programCreate": "ProgramCreateInput"}.get(
        mutation.split("(")[0], "SchoolArchiveInput"
    )
    body = await run(f"mutation($input: {kind}!) {{ {mutation} }}", {"input": values})
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    (error,) = payload["userErrors"]
    assert (error["field"], error["code"]) == (field, code)
    assert any("가" <= ch <= "힣" for ch in error["message"]), error
