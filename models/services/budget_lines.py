"""Budget line writes: whole won, never negative, executed never above allocated."""

from __future__ import annotations

from typing import TypedDict

from models.budget_line import BudgetLine
from models.enums import ChangeAction, Funder, RecordType
from models.errors import ErrorCode, UserError
from models.program import Program
from models.services import lifecycle, locking, references, validation
from models.services.record_values import budget_line_values, changed_columns, changed_fields
from models.services.write_scope import WriteScope

REQUIRED_FIELDS = ("program_code", "fiscal_year", "funder", "allocated")


class BudgetLineFields(TypedDict, total=False):
    program_code: str
    fiscal_year: int
    funder: Funder
    allocated: int
    executed: int
    note: str


async def program_code_of(line: BudgetLine) -> str:
    code: str = await Program.filter(id=line.program_id).first().values_list("code", flat=True)  # type: ignore[assignment]
    return code


async def create(scope: WriteScope, fields: BudgetLineFields) -> BudgetLine:
    errors = validation.required(fields, REQUIRED_FIELDS) + _validate(fields, current=None)
    program = None
    if "program_code" in fields:
        _, program = await _lock_programs(scope, None, fields["program_code"], errors)
    validation.raise_if_any(errors)
    assert program is not None  # required() reported a missing program code
    columns = {k: v for k, v in fields.items() if k != "program_code"}
    line = await BudgetLine.create(using_db=scope.connection, program=program, **columns)
    values = budget_line_values(line, program.code)
    await scope.record(RecordType.BUDGET_LINE, line.pk, ChangeAction.CREATE, changed_fields({}, values))
    return line


async def update(scope: WriteScope, line: BudgetLine, changes: BudgetLineFields) -> BudgetLine:
    """Apply `changes` to the line `line` names (only its id is read); returns the fresh row.

    The row is re-read under a lock, so "executed <= allocated" and the event's old values are
    checked against the committed row, and only the changed columns are written back.
    """
    current = await locking.require_locked(scope, BudgetLine, line.pk)
    lifecycle.refuse_if_archived(current)
    errors = _validate(changes, current=current)
    leaving = program = None
    if "program_code" in changes:
        leaving, program = await _lock_programs(scope, current.program_id, changes["program_code"], errors)
    validation.raise_if_any(errors)
    if program is None:
        before_code = after_code = await program_code_of(current)
    else:
        assert leaving is not None  # every line has a program
        before_code, after_code = leaving.code, program.code
        current.program_id = program.pk
    before = budget_line_values(current, before_code)
    current.update_from_dict({k: v for k, v in changes.items() if k != "program_code"})
    diff = changed_fields(before, budget_line_values(current, after_code))
    if diff:
        await current.save(using_db=scope.connection, update_fields=changed_columns(diff))
        await scope.record(RecordType.BUDGET_LINE, current.pk, ChangeAction.UPDATE, diff)
    return current


async def archive(scope: WriteScope, line: BudgetLine) -> BudgetLine:
    return await lifecycle.archive(scope, line, RecordType.BUDGET_LINE)


async def restore(scope: WriteScope, line: BudgetLine) -> BudgetLine:
    return await lifecycle.restore(scope, line, RecordType.BUDGET_LINE)


async def _lock_programs(
    scope: WriteScope, leaving: int | None, code: str, errors: list[UserError]
) -> tuple[Program | None, Program | None]:
    """The program a line leaves and the live one `code` names, both locked."""
    code = code.strip()
    left, target = await references.lock_move(scope, Program, leaving, code)
    if target is None:
        errors.append(
            UserError("programCode", f"사업코드 '{code}'인 사업이 없습니다.", ErrorCode.UNKNOWN_PROGRAM)
        )
    return left, target


def _validate(fields: BudgetLineFields, *, current: BudgetLine | None) -> list[UserError]:
    errors: list[UserError] = []
    if "fiscal_year" in fields:
        errors += validation.fiscal_year("fiscalYear", fields["fiscal_year"])
    for name in ("allocated", "executed"):
        if name in fields:
            errors += validation.won(name, fields[name])
    if "note" in fields:
        errors += validation.text("note", fields["note"], max_length=2000, required=False)
    allocated = fields.get("allocated", current.allocated if current else 0)
    executed = fields.get("executed", current.executed if current else 0)
    if not errors and executed > allocated:
        errors.append(
            UserError(
                "executed",
                f"집행액({executed:,}원)이 배정액({allocated:,}원)보다 클 수 없습니다.",
                ErrorCode.EXECUTED_OVER_ALLOCATED,
            )
        )
    return errors
