"""Batch rows: the same values as Tortoise's `.values()` on both engines, one array on PostgreSQL."""

from __future__ import annotations

from models.budget_line import BudgetLine
from models.program import Program
from models.school import School
from schema.batch_rows import rows_where_in
from schema.records import BUDGET_LINE_COLUMNS, PROGRAM_COLUMNS, SCHOOL_COLUMNS
from tests.schema.schema_kit import WorldFactory
from tests.schema.test_statement_count import counting_statements


async def test_rows_equal_tortoise_values(make_world: WorldFactory) -> None:
    world = await make_world(schools_count=6, programs_per_school=2, lines_per_program=2)
    school_ids = [school.pk for school in world.schools]
    program_ids = [program.pk for program in world.programs]
    expected = await Program.filter(school_id__in=school_ids, archived_at__isnull=True).order_by("code")
    programs = await rows_where_in(
        Program, PROGRAM_COLUMNS, "school_id", school_ids, order="code", live_only=True
    )
    assert programs == await Program.filter(id__in=[p.pk for p in expected]).order_by("code").values(
        *PROGRAM_COLUMNS
    )
    lines = await rows_where_in(
        BudgetLine, BUDGET_LINE_COLUMNS, "program_id", program_ids, order="id", live_only=True
    )
    assert lines == await BudgetLine.filter(program_id__in=program_ids).order_by("id").values(
        *BUDGET_LINE_COLUMNS
    )
    schools = await rows_where_in(School, SCHOOL_COLUMNS, "id", school_ids, order="id", live_only=False)
    assert schools == await School.filter(id__in=school_ids).order_by("id").values(*SCHOOL_COLUMNS)
    assert type(schools[0]["level"]) is type(world.schools[0].level)  # an enum member, not its text


async def test_archived_children_are_left_out(make_world: WorldFactory) -> None:
    world = await make_world(schools_count=2, programs_per_school=2, lines_per_program=1)
    school = world.schools[0]
    first = await Program.filter(school_id=school.pk).order_by("id").first()
    assert first is not None
    await Program.filter(id=first.pk).update(archived_at=school.created_at)
    rows = await rows_where_in(
        Program, PROGRAM_COLUMNS, "school_id", [school.pk], order="code", live_only=True
    )
    assert len(rows) == 1


async def test_one_statement_text_whatever_the_number_of_keys(db: str, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=8, programs_per_school=1, lines_per_program=1)
    ids = [school.pk for school in world.schools]
    with counting_statements() as statements:
        await rows_where_in(Program, PROGRAM_COLUMNS, "school_id", ids[:2], order="code", live_only=True)
        await rows_where_in(Program, PROGRAM_COLUMNS, "school_id", ids, order="code", live_only=True)
    assert len(statements) == 2
    if db.startswith("postgres"):
        texts = {statement.split(": ", 1)[0] for statement in statements}
        assert len(texts) == 1 and "= ANY($1::int[])" in texts.pop()


async def test_rows_by_code_equal_tortoise_values(make_world: WorldFactory) -> None:
    world = await make_world(schools_count=3, programs_per_school=1, lines_per_program=1)
    codes = [school.code for school in world.schools[:2]]
    rows = await rows_where_in(School, SCHOOL_COLUMNS, "code", codes, order="id", live_only=False)
    assert rows == await School.filter(code__in=codes).order_by("id").values(*SCHOOL_COLUMNS)
    assert await rows_where_in(School, SCHOOL_COLUMNS, "code", ["없음"], order="id", live_only=False) == []
