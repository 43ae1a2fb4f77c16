"""Budget line writes: whole won, never negative, executed never above allocated.

And the total stays within `Won`: the sum of `allocated` over every budget line, archived ones
included, never exceeds `MAX_WON` (2^53 - 1, what a JSON number holds exactly). Since executed
<= allocated on every line, every sum of allocated or executed over any subset of lines (any
budgetSummary group or filter, the 요약 tab, a later restore) then fits too. Writes that could
raise the total take one named lock first, so two concurrent creates cannot both pass the check.
"""

from __future__ import annotations

from typing import TypedDict

from tortoise.functions import Sum

from models.budget_line import BudgetLine
from models.enums import ChangeAction, Funder, RecordType
from models.errors import ErrorCode, UserError
from models.program import Program
from models.services import lifecycle, locking, references, validation
from models.services.record_values import budget_line_values, changed_columns, changed_fields
from models.services.validation import MAX_WON
from models.services.write_scope import WriteScope

REQUIRED_FIELDS = ("program_code", "fiscal_year", "funder", "allocated")
# Held by every write that may raise the allocated total, until its transaction ends.
TOTAL_LOCK = "budget_line.allocated_total"


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


async def allocated_total(scope: WriteScope) -> int:
    """Sum of `allocated` over every budget line, archived ones included."""
    rows = await BudgetLine.all().using_db(scope.connection).annotate(total=Sum("allocated")).values("total")
    # PostgreSQL sums bigint as numeric (Decimal); no lines at all is NULL.
    return int(rows[0]["total"] or 0) if rows else 0


async def create(scope: WriteScope, fields: BudgetLineFields) -> BudgetLine:
    await locking.exclusive(scope, TOTAL_LOCK)  # lock order: named locks before rows
    errors = validation.required(fields, REQUIRED_FIELDS) + _validate(fields, current=None)
    program = None
    if "program_code" in fields:
        _, program = await _lock_programs(scope, None, fields["program_code"], errors)
    errors += await _total_errors(scope, fields, errors, current=0)
    validation.raise_if_any(errors)
    assert program is not None  # required() reported a missing program code
    columns = {k: v for k, v in fields.items() if k != "program_code"}
    line = await BudgetLine.create(using_db=scope.connection, program=program, **columns)
    _total_moved(scope, line.allocated)
    values = budget_line_values(line, program.code)
    await scope.record(RecordType.BUDGET_LINE, line.pk, ChangeAction.CREATE, changed_fields({}, values))
    return line


async def update(scope: WriteScope, line: BudgetLine, changes: BudgetLineFields) -> BudgetLine:
    """Apply `changes` to the line `line` names (only its id is read); returns the fresh row.

    The row is re-read under a lock, so "executed <= allocated" and the event's old values are
    checked against the committed row, and only the changed columns are written back.
    """
    if "allocated" in changes:
        await locking.exclusive(scope, TOTAL_LOCK)
    current = await locking.require_locked(scope, BudgetLine, line.pk)
    lifecycle.refuse_if_archived(current)
    errors = _validate(changes, current=current)
    leaving = program = None
    if "program_code" in changes:
        leaving, program = await _lock_programs(scope, current.program_id, changes["program_code"], errors)
    errors += await _total_errors(scope, changes, errors, current=current.allocated)
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
        _total_moved(scope, current.allocated - before["allocated"])
        await scope.record(RecordType.BUDGET_LINE, current.pk, ChangeAction.UPDATE, diff)
    return current


async def archive(scope: WriteScope, line: BudgetLine) -> BudgetLine:
    # The total counts archived lines, so archiving frees nothing and needs no total lock.
    return await lifecycle.archive(scope, line, RecordType.BUDGET_LINE)


async def restore(scope: WriteScope, line: BudgetLine) -> BudgetLine:
    await locking.exclusive(scope, TOTAL_LOCK)
    return await lifecycle.restore(scope, line, RecordType.BUDGET_LINE, guard=_restorable)


async def _restorable(scope: WriteScope, line: BudgetLine) -> list[UserError]:
    # Archived lines already count, so this refuses only data stored before the total rule:
    # restoring a line then could make live sums exceed what Won can carry.
    total = await _held_total(scope)
    return [_total_error(total)] if total > MAX_WON else []


async def _total_errors(
    scope: WriteScope, fields: BudgetLineFields, errors: list[UserError], *, current: int
) -> list[UserError]:
    """The total rule for a line whose allocated goes from `current` to `fields["allocated"]`.

    Only a raise is checked (lowering must stay possible even above the limit), and only once
    the amount itself is valid.
    """
    wanted = fields.get("allocated")
    if wanted is None or wanted <= current or any(e.field == "allocated" for e in errors):
        return []
    total = await _held_total(scope) - current + wanted
    return [_total_error(total)] if total > MAX_WON else []


async def _held_total(scope: WriteScope) -> int:
    """The total while this scope holds TOTAL_LOCK: read once, then kept by the scope's own writes.

    No other transaction can change it meanwhile (every write of `allocated` takes the lock), so
    a sheet import of thousands of lines sums the table once, not once per line.
    """
    total = scope.held.get(TOTAL_LOCK)
    if total is None:
        total = scope.held[TOTAL_LOCK] = await allocated_total(scope)
    return int(total)


def _total_moved(scope: WriteScope, delta: int) -> None:
    # Called after each saved change of allocated; the scope holds TOTAL_LOCK for every one.
    if delta and scope.held.get(TOTAL_LOCK) is not None:
        scope.held[TOTAL_LOCK] += delta


def _total_error(total: int) -> UserError:
    return UserError(
        "allocated",
        f"모든 예산(보관 포함)의 배정액 합계가 {MAX_WON:,}원을 넘을 수 없습니다"
        f" (이 변경 후 합계 {total:,}원).",
        ErrorCode.OUT_OF_RANGE,
    )


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
