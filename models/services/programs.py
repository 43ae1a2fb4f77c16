"""Program writes and look-ups; programs name their school by code (blank = city-wide)."""

from __future__ import annotations

from typing import TypedDict

from tortoise.exceptions import IntegrityError

from models.budget_line import BudgetLine
from models.enums import ChangeAction, ProgramCategory, ProgramStatus, RecordType
from models.errors import ErrorCode, UserError, ValidationFailed
from models.program import Program
from models.school import School
from models.services import lifecycle, locking, references, validation
from models.services.record_values import changed_columns, changed_fields, program_values
from models.services.write_scope import WriteScope

REQUIRED_FIELDS = ("code", "name", "category", "fiscal_year")


class ProgramFields(TypedDict, total=False):
    code: str
    name: str
    category: ProgramCategory
    school_code: str | None
    fiscal_year: int
    status: ProgramStatus
    description: str


async def get_by_code(code: str) -> Program | None:
    return await Program.get_or_none(code=code)


async def school_code_of(program: Program) -> str | None:
    if program.school_id is None:
        return None
    return await School.filter(id=program.school_id).first().values_list("code", flat=True)  # type: ignore[return-value]


async def create(scope: WriteScope, fields: ProgramFields) -> Program:
    errors = validation.required(fields, REQUIRED_FIELDS) + await _validate(fields, current=None)
    _, school = await _lock_schools(scope, None, fields.get("school_code"), errors)
    validation.raise_if_any(errors)
    columns = {k: v for k, v in fields.items() if k != "school_code"}
    try:
        program = await Program.create(using_db=scope.connection, school=school, **columns)
    except IntegrityError as error:
        raise _duplicate_code(fields["code"]) from error
    values = program_values(program, school.code if school else None)
    await scope.record(RecordType.PROGRAM, program.pk, ChangeAction.CREATE, changed_fields({}, values))
    return program


async def update(scope: WriteScope, program: Program, changes: ProgramFields) -> Program:
    """Apply `changes` to the program `program` names (only its id is read); returns the fresh row.

    The row is re-read under a lock, so the rules and the event's old values are the committed
    ones this write replaces, and only the changed columns are written back.
    """
    current = await locking.require_locked(scope, Program, program.pk)
    lifecycle.refuse_if_archived(current)
    errors = await _validate(changes, current=current)
    if "school_code" in changes:
        leaving, school = await _lock_schools(scope, current.school_id, changes["school_code"], errors)
        before_code = leaving.code if leaving else None
        validation.raise_if_any(errors)
        current.school_id = school.pk if school else None
        after_code = school.code if school else None
    else:
        validation.raise_if_any(errors)
        before_code = after_code = await school_code_of(current)
    before = program_values(current, before_code)
    current.update_from_dict({k: v for k, v in changes.items() if k != "school_code"})
    diff = changed_fields(before, program_values(current, after_code))
    if diff:
        try:
            await current.save(using_db=scope.connection, update_fields=changed_columns(diff))
        except IntegrityError as error:
            raise _duplicate_code(current.code) from error
        await scope.record(RecordType.PROGRAM, current.pk, ChangeAction.UPDATE, diff)
        if "code" in diff:
            await references.program_renamed(scope, current.pk, *diff["code"])
    return current


async def archive(scope: WriteScope, program: Program) -> Program:
    return await lifecycle.archive(scope, program, RecordType.PROGRAM, guard=_refuse_if_in_use)


async def restore(scope: WriteScope, program: Program) -> Program:
    return await lifecycle.restore(scope, program, RecordType.PROGRAM)


async def _refuse_if_in_use(scope: WriteScope, program: Program) -> list[UserError]:
    # Counted under the program's lock: a budget line create locks its program too.
    query = BudgetLine.filter(program_id=program.pk, archived_at=None).using_db(scope.connection)
    in_use = await query.count()
    if not in_use:
        return []
    return [UserError(None, f"이 사업의 예산 {in_use}건을 먼저 보관해야 합니다.", ErrorCode.IN_USE)]


async def _lock_schools(
    scope: WriteScope, leaving: int | None, code: str | None, errors: list[UserError]
) -> tuple[School | None, School | None]:
    """The school a program leaves and the live one `code` names (blank: none), both locked."""
    code = (code or "").strip()
    if not code:
        return (await locking.locked(scope, School, leaving) if leaving else None), None
    left, target = await references.lock_move(scope, School, leaving, code)
    if target is None:
        errors.append(
            UserError("schoolCode", f"학교코드 '{code}'인 학교가 없습니다.", ErrorCode.UNKNOWN_SCHOOL)
        )
    return left, target


async def _validate(fields: ProgramFields, *, current: Program | None) -> list[UserError]:
    errors: list[UserError] = []
    if "code" in fields:
        errors += await validation.unique_code(
            Program,
            fields["code"],
            current=current.code if current else None,
            max_length=30,
            label="사업코드",
        )
    if "name" in fields:
        errors += validation.text("name", fields["name"], max_length=200)
    if "fiscal_year" in fields:
        errors += validation.fiscal_year("fiscalYear", fields["fiscal_year"])
    if "description" in fields:
        errors += validation.text("description", fields["description"], max_length=5000, required=False)
    return errors


def _duplicate_code(code: str) -> ValidationFailed:
    # The database's unique index caught a race the check above missed.
    return ValidationFailed([validation.duplicate_code("사업코드", code)])
