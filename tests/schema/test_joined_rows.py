"""A record by code with its live children: one statement on PostgreSQL, the same rows as two."""

from __future__ import annotations

from datetime import UTC, datetime

from models.budget_line import BudgetLine
from models.program import Program
from models.school import School
from schema.batch_rows import rows_where_in
from schema.joined_rows import parent_with_children
from schema.records import BUDGET_LINE_COLUMNS, PROGRAM_COLUMNS, SCHOOL_COLUMNS
from tests.schema.schema_kit import Run, WorldFactory
from tests.schema.test_statement_count import counting_statements

ONE_SCHOOL = "query One($code: String!) { school(code: $code) { code name programs { code category } } }"


async def _apart(code: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """What the two statements give: the school by code, then its live programs by code."""
    schools = await rows_where_in(School, SCHOOL_COLUMNS, "code", [code], order="id", live_only=False)
    ids = [school["id"] for school in schools[:1]]
    programs = await rows_where_in(Program, PROGRAM_COLUMNS, "school_id", ids, order="code", live_only=True)
    return schools, programs if ids else []


async def _joined(code: str) -> tuple[list[dict[str, object]], list[dict[str, object]]] | None:
    return await parent_with_children(
        School, SCHOOL_COLUMNS, "code", code, Program, PROGRAM_COLUMNS, "school_id", "code"
    )


async def test_the_joined_rows_equal_the_two_statements_rows(db: str, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=3, programs_per_school=3, lines_per_program=1)
    school = world.schools[1]
    archived = await Program.filter(school_id=school.pk).order_by("code").first()
    assert archived is not None
    await Program.filter(id=archived.pk).update(archived_at=datetime.now(UTC))
    joined = await _joined(school.code)
    if not db.startswith("postgres"):
        assert joined is None  # two statements there: no round trips to save
        return
    assert joined is not None
    assert joined == await _apart(school.code)
    assert len(joined[1]) == 2 and archived.code not in {p["code"] for p in joined[1]}
    assert type(joined[1][0]["category"]) is type(archived.category)  # enum members, as `.values()`


async def test_a_school_without_programs_an_unknown_code_and_a_hostile_one(
    db: str, make_world: WorldFactory
) -> None:
    await make_world(schools_count=2, programs_per_school=1, lines_per_program=1)
    lonely = await School.create(code="LONE01", name="외딴학교", level="ELEMENTARY", district="미사")
    for code in ("LONE01", "NOPE", "'; DROP TABLE school; --", '" OR 1=1 --', "하남초"):
        joined = await _joined(code)
        if not db.startswith("postgres"):
            assert joined is None
            continue
        assert joined == await _apart(code), code
    if db.startswith("postgres"):
        assert await _joined("LONE01") == (await School.filter(id=lonely.pk).values(*SCHOOL_COLUMNS), [])
        assert await _joined("NOPE") == ([], [])
    assert await School.filter(code="LONE01").exists()  # nothing was dropped


async def test_a_key_column_that_is_not_unique_is_refused(db: str) -> None:
    # Programs by category: several parents, whose children would share the joined rows.
    found = await parent_with_children(
        Program, PROGRAM_COLUMNS, "category", "OTHER", BudgetLine, BUDGET_LINE_COLUMNS, "program_id", "id"
    )
    assert found is None


async def test_one_school_with_its_programs_is_one_statement_on_postgres(
    db: str, run: Run, make_world: WorldFactory
) -> None:
    world = await make_world(schools_count=2, programs_per_school=4, lines_per_program=1)
    code = world.schools[0].code
    await run(ONE_SCHOOL, {"code": code})  # the first answer may plan; count the next ones
    with counting_statements() as statements:
        body = await run(ONE_SCHOOL, {"code": code})
    assert "errors" not in body, body
    programs = body["data"]["school"]["programs"]
    assert [p["code"] for p in programs] == sorted(
        p.code for p in world.programs if p.school_id == world.schools[0].pk
    )
    assert len(statements) == (1 if db.startswith("postgres") else 2), statements
    with counting_statements() as statements:
        missing = await run(ONE_SCHOOL, {"code": "NO-SUCH"})
    assert missing == {"data": {"school": None}}
    assert len(statements) == 1
