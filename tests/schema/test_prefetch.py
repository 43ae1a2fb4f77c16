"""Children loaded with their page answer exactly what the per-record loaders answer."""

from __future__ import annotations

import base64
from typing import Any

from tests.schema.schema_kit import Run, WorldFactory
from tests.schema.test_statement_count import counting_statements

TREE = """
fragment Line on BudgetLine { funder allocated executed executionRate program { code } }
fragment Kids on School { programs { code ...on Program { lines: budgetLines { ...Line } } } }
"""
PAGE = TREE + "query Page { schools(first: 50) { edges { node { code ...Kids } } nodes { code ...Kids } } }"
ONE = TREE + "query One($id: ID!) { node(id: $id) { ...on School { code ...Kids } } }"
BY_CODE = TREE + "query ByCode($code: String!) { school(code: $code) { code ...Kids } }"


def _school_id(pk: int) -> str:
    return base64.b64encode(f"School:{pk}".encode()).decode()


async def test_a_page_answers_what_each_school_alone_answers(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=5, programs_per_school=2, lines_per_program=2)
    page = await run(PAGE, viewer="partner")
    assert "errors" not in page
    nodes = page["data"]["schools"]["nodes"]
    assert [edge["node"] for edge in page["data"]["schools"]["edges"]] == nodes
    alone: list[dict[str, Any]] = []
    for school in sorted(world.schools, key=lambda s: s.code):
        body = await run(ONE, {"id": _school_id(school.pk)}, viewer="partner")  # the loaders' path
        alone.append(body["data"]["node"])
        by_code = await run(BY_CODE, {"code": school.code}, viewer="partner")
        assert by_code["data"]["school"] == body["data"]["node"]
    assert nodes == alone
    assert sum(len(p["lines"]) for school in nodes for p in school["programs"]) == 5 * 2 * 2


async def test_anonymous_callers_get_the_same_errors(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=2, programs_per_school=2, lines_per_program=1)
    page = await run(PAGE.replace("edges { node { code ...Kids } } ", ""), viewer="anonymous")
    one = await run(ONE, {"id": _school_id(world.schools[0].pk)}, viewer="anonymous")
    assert [p["lines"] for school in page["data"]["schools"]["nodes"] for p in school["programs"]] == [
        None
    ] * 4
    assert len(page["errors"]) == 4 and len(one["errors"]) == 2
    assert {e["message"] for e in page["errors"]} == {e["message"] for e in one["errors"]}
    assert {e["extensions"]["code"] for e in page["errors"]} == {"FORBIDDEN"}
    assert page["errors"][0]["path"] == ["schools", "nodes", 0, "programs", 0, "lines"]


async def test_a_page_loads_each_level_once(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=6, programs_per_school=2, lines_per_program=2)
    with counting_statements() as statements:
        body = await run(PAGE, viewer="partner")
    assert "errors" not in body
    # schools page, programs, budget lines (`program { code }` walks back up from memory)
    assert len(statements) == 3, statements


def test_records_built_from_rows_keep_their_defaults() -> None:
    from datetime import UTC, datetime

    from models.enums import SchoolLevel
    from schema.records import SCHOOL_COLUMNS, School

    now = datetime.now(UTC)
    values = [1, "S1", "학교", SchoolLevel.HIGH, "미사", 10, now, now, None]
    school = School.from_row(dict(zip(SCHOOL_COLUMNS, values, strict=True)))
    assert school.loaded_programs is None and school.level is SchoolLevel.HIGH and school.code == "S1"


PROGRAM_FIELDS = (
    "id code name category fiscalYear status description createdAt updatedAt archivedAt schoolCode"
)
LINE_FIELDS = "id fiscalYear funder allocated executed note executionRate createdAt updatedAt archivedAt"


async def test_children_read_with_fewer_columns_answer_every_field(
    run: Run, make_world: WorldFactory
) -> None:
    world = await make_world(schools_count=2, programs_per_school=2, lines_per_program=2)
    school = min(world.schools, key=lambda s: s.code)
    selections = [(p, line) for p in PROGRAM_FIELDS.split() for line in ("id",)]
    selections += [("id", line) for line in LINE_FIELDS.split()]
    selections += [(PROGRAM_FIELDS, LINE_FIELDS)]
    for program_fields, line_fields in selections:
        kids = (
            f"programs {{ {program_fields} budgetLines {{ {line_fields} program {{ {program_fields} }} }} }}"
        )
        page = await run(f"{{ schools(first: 1) {{ nodes {{ {kids} }} }} }}", viewer="partner")
        alone = await run(
            f"query($id: ID!) {{ node(id: $id) {{ ...on School {{ {kids} }} }} }}",
            {"id": _school_id(school.pk)},
            viewer="partner",
        )
        assert "errors" not in page, (program_fields, line_fields, page)
        assert page["data"]["schools"]["nodes"][0] == alone["data"]["node"], (program_fields, line_fields)


async def test_a_finished_request_leaves_no_rows_to_the_collector(run: Run, make_world: WorldFactory) -> None:
    import gc

    from schema.context import Context
    from schema.loaders import Loaders
    from schema.root import build_schema
    from sync.conflicts import resolve_conflict
    from tests.schema.schema_kit import VIEWERS, settings_for

    await make_world(schools_count=3, programs_per_school=2, lines_per_program=2)
    # The executor's path: the planned one (schema.planned) never fills the loaders.
    schema = build_schema(settings_for("sqlite://:memory:"), planned=False)
    context = Context(
        viewer=VIEWERS["partner"],
        settings=settings_for("sqlite://:memory:"),
        resolve_conflict=resolve_conflict,
        loaders=Loaders(),
    )
    result = await schema.execute(PAGE, context_value=context)
    assert not result.errors and context.loaders.programs
    context.loaders.forget()
    assert not context.loaders.programs and not context.loaders.schools
    assert "programs_by_school" not in context.loaders.__dict__
    gc.collect()
