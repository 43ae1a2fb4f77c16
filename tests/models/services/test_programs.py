from datetime import date

import pytest

from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.enums import ChangeAction, ProgramCategory, SchoolLevel
from models.errors import ErrorCode, ValidationFailed
from models.program import Program
from models.services import program_sessions, programs, schools
from models.services.programs import ProgramFields
from models.services.write_scope import write_scope

TOUR: ProgramFields = {
    "code": "HN2025-CT-001",
    "name": "대학 캠퍼스 투어 - 한양대학교",
    "category": ProgramCategory.CAMPUS_TOUR,
    "fiscal_year": 2025,
}


async def _school(code: str) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.create(
            scope, {"code": code, "name": code, "level": SchoolLevel.MIDDLE, "district": "위례"}
        )


async def test_a_city_wide_program_has_no_school(db: str) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        program = await programs.create(scope, TOUR)
    assert program.school_id is None
    assert await programs.school_code_of(program) is None


async def test_unknown_school_code_is_a_user_error(db: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await programs.create(scope, {**TOUR, "school_code": "NOPE"})
    assert [(e.field, e.code) for e in failure.value.errors] == [("schoolCode", ErrorCode.UNKNOWN_SCHOOL)]
    assert await Program.all().count() == 0


async def test_moving_a_program_between_schools_is_recorded_by_code(db: str) -> None:
    await _school("A1")
    await _school("B2")
    async with write_scope(SYSTEM_ACTOR) as scope:
        program = await programs.create(scope, {**TOUR, "school_code": "A1"})
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.update(scope, program, {"school_code": "B2"})
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.update(scope, program, {"school_code": None})
    changes = [e.changes for e in await ChangeEvent.filter(action=ChangeAction.UPDATE).order_by("id")]
    assert changes == [{"school_code": ["A1", "B2"]}, {"school_code": ["B2", None]}]


async def test_duplicate_code_and_bad_year_are_reported_together(db: str) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.create(scope, TOUR)
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await programs.create(scope, {**TOUR, "fiscal_year": 1999})
    assert {e.code for e in failure.value.errors} == {ErrorCode.DUPLICATE_CODE, ErrorCode.OUT_OF_RANGE}


async def test_a_program_with_live_sessions_is_not_archived_until_they_are(db: str) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        program = await programs.create(scope, TOUR)
        session = await program_sessions.create(
            scope,
            {"program_code": TOUR["code"], "held_on": date(2025, 5, 2), "place": "한양대학교", "high": 20},
        )
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await programs.archive(scope, program)
    [error] = failure.value.errors
    assert error.code is ErrorCode.IN_USE
    assert error.message == "이 사업의 운영 실적 1건을 먼저 보관해야 합니다."
    assert (await Program.get(id=program.pk)).archived_at is None
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_sessions.archive(scope, session)
        await programs.archive(scope, program)
    assert (await Program.get(id=program.pk)).archived_at is not None
