"""Budget line writes: whole won, never negative, nothing spent beyond 예산현액.

예산현액 (budget current) = allocated + carried_in. On every line executed, disbursed and
(executed + carried_out) stay within it. A SETTLED line (정산: carried over or its year closed,
`models.services.carry_over`) keeps its figures: its money, year, program and funder no longer
change and it is never archived; only the settlement itself sets SETTLED and `unused`. No line
is created in, moved into or restored into a closed fiscal year.

And the total stays within `Won`: the sum of allocated + carried_in over every budget line,
archived ones included, never exceeds `MAX_WON` (2^53 - 1, what a JSON number holds exactly).
Since executed <= allocated + carried_in on every line, every sum of any money field over any
subset of lines (any budgetSummary group or filter, the 요약 tab, a later restore) then fits too.
Writes that could raise the total or move a line between years take one named lock first, so
two concurrent creates cannot both pass the check, nor a create slip into a year being closed.
"""

from __future__ import annotations

from typing import TypedDict

from tortoise.functions import Sum

from models.budget_line import BudgetLine
from models.enums import BudgetStage, Funder, RecordType
from models.errors import ErrorCode, UserError
from models.fiscal_year_closing import FiscalYearClosing
from models.program import Program
from models.services import locking, validation
from models.services.family import Family, Reference, Values
from models.services.record_values import budget_line_values
from models.services.validation import MAX_WON
from models.services.write_scope import WriteScope

REQUIRED_FIELDS = ("program_code", "fiscal_year", "funder", "allocated")
# Held by every write that may raise the total or place a line in a fiscal year, until its
# transaction ends; carry-over and year closing take it first too (one lock, no lock order).
TOTAL_LOCK = "budget_line.allocated_total"
MONEY_FIELDS = ("allocated", "executed", "disbursed", "carried_in", "carried_out")
# What a settled line keeps: every figure, and where it belongs.
SETTLED_FIELDS = (*MONEY_FIELDS, "unused", "stage", "fiscal_year", "funder", "program_code")


class BudgetLineFields(TypedDict, total=False):
    program_code: str
    fiscal_year: int
    funder: Funder
    allocated: int
    executed: int
    stage: BudgetStage
    disbursed: int
    carried_in: int
    carried_out: int
    unused: int  # only a settlement sets it
    note: str


def _unknown_program(code: str) -> UserError:
    return UserError("programCode", f"사업코드 '{code}'인 사업이 없습니다.", ErrorCode.UNKNOWN_PROGRAM)


PROGRAM = Reference("program_code", "program", Program, _unknown_program)


async def allocated_total(scope: WriteScope) -> int:
    """Sum of allocated + carried_in over every budget line, archived ones included."""
    query = BudgetLine.all().using_db(scope.connection)
    rows = await query.annotate(total=Sum("allocated"), carried=Sum("carried_in")).values("total", "carried")
    # PostgreSQL sums bigint as numeric (Decimal); no lines at all is NULL.
    return int(rows[0]["total"] or 0) + int(rows[0]["carried"] or 0) if rows else 0


async def year_closed(scope: WriteScope, fiscal_year: int) -> bool:
    return await FiscalYearClosing.filter(fiscal_year=fiscal_year).using_db(scope.connection).exists()


def year_closed_error(fiscal_year: int, field: str | None = "fiscalYear") -> UserError:
    return UserError(
        field,
        f"{fiscal_year}년도는 이미 마감되었습니다. 마감된 연도의 예산은 추가하거나 옮길 수 없습니다.",
        ErrorCode.YEAR_CLOSED,
    )


def settled_error(line: BudgetLine) -> UserError:
    return UserError(
        None,
        f"{line.fiscal_year}년도 예산(ID {line.pk})은 이미 정산되었습니다. "
        "정산된 예산의 금액·연도·재원·사업은 바꿀 수 없습니다.",
        ErrorCode.SETTLED,
    )


class BudgetLines(Family[BudgetLine, BudgetLineFields]):
    """Archive is the family's own: the total counts archived lines, so archiving frees nothing
    and takes no total lock; restore takes it, for its guard."""

    model, record_type = BudgetLine, RecordType.BUDGET_LINE
    required = REQUIRED_FIELDS
    reference = PROGRAM

    # Staff record stages up to 집행; 정산 is the settlement's alone (`carry_over`).
    settling: bool = False

    async def lock_first(self, scope: WriteScope, fields: BudgetLineFields, *, creating: bool) -> None:
        if creating or fields.keys() & {"allocated", "carried_in", "fiscal_year"}:
            await locking.exclusive(scope, TOTAL_LOCK)  # lock order: named locks before rows

    async def validate(self, fields: BudgetLineFields, current: BudgetLine | None) -> list[UserError]:
        return _validate(fields, current=current, settling=self.settling)

    async def rules(
        self, scope: WriteScope, fields: BudgetLineFields, errors: list[UserError], current: BudgetLine | None
    ) -> list[UserError]:
        year = fields.get("fiscal_year", current.fiscal_year if current else 0)
        placed = current is None or year != current.fiscal_year  # a new line, or one moving year
        if placed and not any(e.field == "fiscalYear" for e in errors) and await year_closed(scope, year):
            return [year_closed_error(year)]
        held = current.budget_current if current else 0
        return await _total_errors(scope, fields, errors, current=held, current_line=current)

    def values(self, line: BudgetLine, reference_code: str | None) -> Values:
        assert reference_code is not None  # every line has a program
        return budget_line_values(line, reference_code)

    def saved(self, scope: WriteScope, before: Values, after: Values) -> None:
        moved = after["allocated"] + after["carried_in"]
        _total_moved(scope, moved - before.get("allocated", 0) - before.get("carried_in", 0))

    async def restore(self, scope: WriteScope, line: BudgetLine) -> BudgetLine:
        await locking.exclusive(scope, TOTAL_LOCK)
        return await super().restore(scope, line)

    async def restore_guard(self, scope: WriteScope, line: BudgetLine) -> list[UserError]:
        # An unsettled line back in a closed year would hold money the closing never settled.
        if line.stage != BudgetStage.SETTLED and await year_closed(scope, line.fiscal_year):
            return [year_closed_error(line.fiscal_year, None)]
        # Archived lines already count, so this refuses only data stored before the total rule:
        # restoring a line then could make live sums exceed what Won can carry.
        total = await _held_total(scope)
        return [_total_error(total)] if total > MAX_WON else []

    async def archive_guard(self, scope: WriteScope, line: BudgetLine) -> list[UserError]:
        # A settled line is a past figure: archiving it would drop it from every sum.
        return [settled_error(line)] if line.stage == BudgetStage.SETTLED else []


class Settlement(BudgetLines):
    """The one writer of SETTLED and `unused` (carry-over and year closing), same rules otherwise."""

    settling = True


BUDGET_LINES = BudgetLines()
SETTLEMENT = Settlement()
create, update = BUDGET_LINES.create, BUDGET_LINES.update
archive, restore = BUDGET_LINES.archive, BUDGET_LINES.restore


async def _total_errors(
    scope: WriteScope,
    fields: BudgetLineFields,
    errors: list[UserError],
    *,
    current: int,
    current_line: BudgetLine | None,
) -> list[UserError]:
    """The total rule for a line whose allocated + carried_in goes from `current` to the new sum.

    Only a raise is checked (lowering must stay possible even above the limit), and only once
    the amounts themselves are valid.
    """
    if not fields.keys() & {"allocated", "carried_in"} or any(
        e.field in ("allocated", "carriedIn") for e in errors
    ):
        return []
    wanted = _amount(fields, current_line, "allocated") + _amount(fields, current_line, "carried_in")
    if wanted <= current:
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


def _amount(fields: BudgetLineFields, current: BudgetLine | None, name: str) -> int:
    """The line's `name` after this write: the new value, else the committed one, else 0."""
    value: int = fields.get(name, getattr(current, name) if current is not None else 0)  # type: ignore[assignment]
    return int(value)


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


API_NAMES = {"carried_in": "carriedIn", "carried_out": "carriedOut"}


def _validate(fields: BudgetLineFields, *, current: BudgetLine | None, settling: bool) -> list[UserError]:
    errors: list[UserError] = []
    if "stage" in fields and fields["stage"] is None:
        if current is not None:
            message = "단계를 비울 수 없습니다. 계획, 확정, 교부, 집행 중에서 고르세요."
            return [UserError("stage", message, ErrorCode.REQUIRED)]
        del fields["stage"]  # a new sheet row with a blank 단계: the first stage, 계획
    if current is not None and current.stage == BudgetStage.SETTLED:
        changed = [n for n in SETTLED_FIELDS if n in fields and n != "program_code"]
        if "program_code" in fields or any(fields[n] != getattr(current, n) for n in changed):  # type: ignore[literal-required]
            return [settled_error(current)]
    if "fiscal_year" in fields:
        errors += validation.fiscal_year("fiscalYear", fields["fiscal_year"])
    for name in (*MONEY_FIELDS, "unused"):
        if name in fields:
            errors += validation.won(API_NAMES.get(name, name), fields[name])  # type: ignore[literal-required]
    if "note" in fields:
        errors += validation.text("note", fields["note"], max_length=2000, required=False)
    errors += _stage_errors(fields, settling=settling)
    if not errors:
        errors += _within_budget(fields, current)
    return errors


def _stage_errors(fields: BudgetLineFields, *, settling: bool) -> list[UserError]:
    if not settling and (fields.get("stage") == BudgetStage.SETTLED or "unused" in fields):
        message = (
            "정산 단계와 불용액은 직접 정할 수 없습니다. 이월 처리(budgetLineCarryOver)나 "
            "연도 마감(eduhub budget close-year)으로 정산하세요."
        )
        return [UserError("stage", message, ErrorCode.STAGE_NOT_ALLOWED)]
    return []


def _within_budget(fields: BudgetLineFields, current: BudgetLine | None) -> list[UserError]:
    """executed, disbursed and executed + carried_out never above 예산현액 (allocated + carried_in)."""
    allocated, carried_in = _amount(fields, current, "allocated"), _amount(fields, current, "carried_in")
    budget = allocated + carried_in
    executed, disbursed = _amount(fields, current, "executed"), _amount(fields, current, "disbursed")
    carried_out = _amount(fields, current, "carried_out")
    current_text = f"예산현액({budget:,}원 = 배정액 {allocated:,}원 + 전년도 이월액 {carried_in:,}원)"
    errors = []
    if executed > budget:
        errors.append(
            UserError(
                "executed",
                f"집행액({executed:,}원)이 {current_text}보다 클 수 없습니다.",
                ErrorCode.EXECUTED_OVER_ALLOCATED,
            )
        )
    if disbursed > budget:
        errors.append(
            UserError(
                "disbursed",
                f"교부액({disbursed:,}원)이 {current_text}보다 클 수 없습니다.",
                ErrorCode.DISBURSED_OVER_BUDGET,
            )
        )
    if not errors and carried_out > budget - executed:
        errors.append(
            UserError(
                "carriedOut",
                f"이월액({carried_out:,}원)이 집행 잔액({budget - executed:,}원 = {current_text} - "
                f"집행액 {executed:,}원)보다 클 수 없습니다.",
                ErrorCode.CARRIED_OVER_UNSPENT,
            )
        )
    return errors
