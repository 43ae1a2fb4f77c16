import pytest

from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.enums import ChangeAction, ProgramCategory, SchoolLevel
from models.errors import ErrorCode, ValidationFailed
from models.school import School
from models.services import programs, schools
from models.services.schools import SchoolFields
from models.services.write_scope import write_scope

MISA: SchoolFields = {
    "code": "J7530107",
    "name": "미사초등학교",
    "level": SchoolLevel.ELEMENTARY,
    "district": "미사",
}


async def _create(fields: SchoolFields) -> School:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await schools.create(scope, fields)


async def _codes_of_failure(fields: SchoolFields) -> list[ErrorCode]:
    with pytest.raises(ValidationFailed) as failure:
        await _create(fields)
    return [error.code for error in failure.value.errors]


async def test_create_records_every_field_in_the_outbox(db: str) -> None:
    school = await _create({**MISA, "students": 812})
    event = await ChangeEvent.get(record_id=school.id)
    assert event.action is ChangeAction.CREATE
    assert event.changes["students"] == [None, 812]
    assert event.actor_name == "eduhub"


async def test_duplicate_code_is_a_user_error_and_writes_nothing(db: str) -> None:
    await _create(MISA)
    assert await _codes_of_failure({**MISA, "name": "다른 학교"}) == [ErrorCode.DUPLICATE_CODE]
    assert await School.all().count() == 1
    assert await ChangeEvent.all().count() == 1


async def test_missing_and_malformed_fields_are_each_reported(db: str) -> None:
    codes = await _codes_of_failure({"code": "<script>", "name": " ", "level": SchoolLevel.HIGH})
    assert codes == [ErrorCode.REQUIRED, ErrorCode.INVALID, ErrorCode.REQUIRED]


async def test_negative_students_are_refused(db: str) -> None:
    assert await _codes_of_failure({**MISA, "students": -1}) == [ErrorCode.OUT_OF_RANGE]


async def test_update_records_only_changed_fields(db: str) -> None:
    school = await _create(MISA)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, school, {"name": "미사초등학교", "students": 900})
    event = await ChangeEvent.filter(action=ChangeAction.UPDATE).get()
    assert event.changes == {"students": [0, 900]}


async def test_an_update_changing_nothing_appends_no_event(db: str) -> None:
    school = await _create(MISA)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, school, {"name": MISA["name"]})
    assert await ChangeEvent.filter(action=ChangeAction.UPDATE).count() == 0


async def test_archive_is_a_tombstone_and_refuses_a_school_in_use(db: str) -> None:
    school = await _create(MISA)
    async with write_scope(SYSTEM_ACTOR) as scope:
        program = await programs.create(
            scope,
            {
                "code": "P1",
                "name": "생태",
                "category": ProgramCategory.OTHER,
                "school_code": MISA["code"],
                "fiscal_year": 2025,
            },
        )
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await schools.archive(scope, school)
    assert failure.value.errors[0].code is ErrorCode.IN_USE
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.archive(scope, program)
        await schools.archive(scope, school)
    stored = await School.get(id=school.id)
    assert stored.archived_at is not None


async def test_an_archived_school_cannot_be_edited_until_restored(db: str) -> None:
    school = await _create(MISA)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.archive(scope, school)
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await schools.update(scope, school, {"students": 5})
    assert failure.value.errors[0].code is ErrorCode.ARCHIVED
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.restore(scope, school)
        await schools.update(scope, school, {"students": 5})
    actions = [e.action for e in await ChangeEvent.filter(record_id=school.id).order_by("id")]
    assert actions == [ChangeAction.CREATE, ChangeAction.ARCHIVE, ChangeAction.RESTORE, ChangeAction.UPDATE]


async def test_text_no_database_can_store_is_refused_on_every_engine(db: str) -> None:
    assert await _codes_of_failure({**MISA, "name": "미사\x00초"}) == [ErrorCode.INVALID]
    assert await _codes_of_failure({**MISA, "district": "\ud800"}) == [ErrorCode.INVALID]
    assert await School.all().count() == 0
