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
from models.enums import Funder, RecordType
from models.errors import ErrorCode, UserError
from models.program import Program
from models.services import locking, validation
from models.services.family import Family, Reference, Values
from models.services.record_values import budget_line_values
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


def _unknown_program(code: str) -> UserError:
    return UserError("programCode", f"사업코드 '{code}'인 사업이 없습니다.", ErrorCode.UNKNOWN_PROGRAM)


PROGRAM = Reference("program_code", "program", Program, _unknown_program)


async def allocated_total(scope: WriteScope) -> int:
    """Sum of `allocated` over every budget line, archived ones included."""
    rows = await BudgetLine.all().using_db(scope.connection).annotate(total=Sum("allocated")).values("total")
    # PostgreSQL sums bigint as numeric (Decimal); no lines at all is NULL.
    return int(rows[0]["total"] or 0) if rows else 0


class BudgetLines(Family[BudgetLine, BudgetLineFields]):
    """Archive is the family's own: the total counts archived lines, so archiving frees nothing
    and takes no total lock; restore takes it, for its guard."""

    model, record_type = BudgetLine, RecordType.BUDGET_LINE
    required = REQUIRED_FIELDS
    reference = PROGRAM

    async def lock_first(self, scope: WriteScope, fields: BudgetLineFields, *, creating: bool) -> None:
        if creating or "allocated" in fields:
            await locking.exclusive(scope, TOTAL_LOCK)  # lock order: named locks before rows

    async def validate(self, fields: BudgetLineFields, current: BudgetLine | None) -> list[UserError]:
        return _validate(fields, current=current)

    async def rules(
        self, scope: WriteScope, fields: BudgetLineFields, errors: list[UserError], current: BudgetLine | None
    ) -> list[UserError]:
        return await _total_errors(scope, fields, errors, current=current.allocated if current else 0)

    def values(self, line: BudgetLine, reference_code: str | None) -> Values:
        assert reference_code is not None  # every line has a program
        return budget_line_values(line, reference_code)

    def saved(self, scope: WriteScope, before: Values, after: Values) -> None:
        _total_moved(scope, after["allocated"] - before.get("allocated", 0))

    async def restore(self, scope: WriteScope, line: BudgetLine) -> BudgetLine:
        await locking.exclusive(scope, TOTAL_LOCK)
        return await super().restore(scope, line)

    async def restore_guard(self, scope: WriteScope, line: BudgetLine) -> list[UserError]:
        # Archived lines already count, so this refuses only data stored before the total rule:
        # restoring a line then could make live sums exceed what Won can carry.
        total = await _held_total(scope)
        return [_total_error(total)] if total > MAX_WON else []


BUDGET_LINES = BudgetLines()
create, update = BUDGET_LINES.create, BUDGET_LINES.update
archive, restore = BUDGET_LINES.archive, BUDGET_LINES.restore


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
