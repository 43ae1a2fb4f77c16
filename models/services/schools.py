"""School writes and look-ups."""

from __future__ import annotations

from typing import TypedDict

from tortoise.exceptions import IntegrityError

from models.enums import ChangeAction, RecordType, SchoolLevel
from models.errors import ErrorCode, UserError, ValidationFailed
from models.program import Program
from models.school import School
from models.services import lifecycle, locking, references, validation
from models.services.record_values import changed_columns, changed_fields, school_values
from models.services.write_scope import WriteScope

MAX_STUDENTS = 100_000
REQUIRED_FIELDS = ("code", "name", "level", "district")


class SchoolFields(TypedDict, total=False):
    code: str
    name: str
    level: SchoolLevel
    district: str
    students: int


async def get_by_code(code: str) -> School | None:
    return await School.get_or_none(code=code)


async def create(scope: WriteScope, fields: SchoolFields) -> School:
    validation.raise_if_any(
        validation.required(fields, REQUIRED_FIELDS) + await _validate(fields, current=None)
    )
    try:
        school = await School.create(using_db=scope.connection, **fields)
    except IntegrityError as error:
        raise _duplicate_code(fields["code"]) from error
    await scope.record(
        RecordType.SCHOOL, school.pk, ChangeAction.CREATE, changed_fields({}, school_values(school))
    )
    return school


async def update(scope: WriteScope, school: School, changes: SchoolFields) -> School:
    """Apply `changes` to the school `school` names (only its id is read); returns the fresh row.

    The row is re-read under a lock, so the rules and the event's old values are the committed
    ones this write replaces, and only the changed columns are written back.
    """
    current = await locking.require_locked(scope, School, school.pk)
    lifecycle.refuse_if_archived(current)
    validation.raise_if_any(await _validate(changes, current=current))
    before = school_values(current)
    current.update_from_dict(dict(changes))
    diff = changed_fields(before, school_values(current))
    if diff:
        try:
            await current.save(using_db=scope.connection, update_fields=changed_columns(diff))
        except IntegrityError as error:
            raise _duplicate_code(current.code) from error
        await scope.record(RecordType.SCHOOL, current.pk, ChangeAction.UPDATE, diff)
        if "code" in diff:
            await references.school_renamed(scope, current.pk, *diff["code"])
    return current


async def archive(scope: WriteScope, school: School) -> School:
    return await lifecycle.archive(scope, school, RecordType.SCHOOL, guard=_refuse_if_in_use)


async def restore(scope: WriteScope, school: School) -> School:
    return await lifecycle.restore(scope, school, RecordType.SCHOOL)


async def _refuse_if_in_use(scope: WriteScope, school: School) -> list[UserError]:
    # Counted under the school's lock: a program create locks its school too, so none slips in.
    in_use = await Program.filter(school_id=school.pk, archived_at=None).using_db(scope.connection).count()
    if not in_use:
        return []
    return [
        UserError(
            None,
            f"이 학교를 사용하는 사업 {in_use}개를 먼저 보관하거나 다른 학교로 옮겨야 합니다.",
            ErrorCode.IN_USE,
        )
    ]


async def _validate(fields: SchoolFields, *, current: School | None) -> list[UserError]:
    errors: list[UserError] = []
    if "code" in fields:
        errors += await validation.unique_code(
            School, fields["code"], current=current.code if current else None, max_length=20, label="학교코드"
        )
    if "name" in fields:
        errors += validation.text("name", fields["name"], max_length=100)
    if "district" in fields:
        errors += validation.text("district", fields["district"], max_length=30)
    if "students" in fields:
        errors += validation.count("students", fields["students"], maximum=MAX_STUDENTS)
    return errors


def _duplicate_code(code: str) -> ValidationFailed:
    # The database's unique index caught a race the check above missed.
    return ValidationFailed([validation.duplicate_code("학교코드", code)])
