"""Year-end carry-over (이월): settle one line of year Y and carry money into its Y+1 line.

Settling sets carried_out (이월액, at most what is unspent), unused (불용액 = 예산현액 - 집행액 -
이월액) and stage SETTLED; the carried amount is added to carried_in (전년도 이월액) of the same
program and funder's live line in Y+1, created when there is none (allocated 0, note "Y년도
이월"). Program and budget-line rules put no tie between a line's year and its program's year, so
that line is valid under the program as it is. Each write is one audited change through the
family (history, outbox, subscriptions). Used by `budgetLineCarryOver` and by year closing.

Every carry takes the budget total lock first (it raises carried_in), so two carries of the same
line queue: the second reads the line already SETTLED and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.budget_line import BudgetLine
from models.enums import BudgetStage
from models.errors import ErrorCode, RecordNotFound, UserError
from models.program import Program
from models.services import lifecycle, locking, validation
from models.services.budget_lines import (
    BUDGET_LINES,
    SETTLEMENT,
    TOTAL_LOCK,
    BudgetLineFields,
    settled_error,
    year_closed,
)
from models.services.write_scope import WriteScope


@dataclass(frozen=True, slots=True)
class Carried:
    """What one carry-over did: the settled line and the next year's line (None when nothing moved)."""

    line: BudgetLine
    next_line: BudgetLine | None
    created: bool  # the next year's line is new


def carry_note(fiscal_year: int) -> str:
    return f"{fiscal_year}년도 이월"


async def next_year_line(scope: WriteScope, line: BudgetLine) -> BudgetLine | None:
    """The live line of the same program and funder in the next year (the oldest, if several)."""
    query = BudgetLine.filter(
        program_id=line.program_id, funder=line.funder, fiscal_year=line.fiscal_year + 1, archived_at=None
    )
    return await query.using_db(scope.connection).order_by("id").first()


async def carry_over(scope: WriteScope, line_id: int, amount: int) -> Carried:
    """Settle line `line_id` carrying `amount` won into the next year (ValidationFailed if refused)."""
    await locking.exclusive(scope, TOTAL_LOCK)  # lock order: named locks before rows
    line = await locking.require_locked(scope, BudgetLine, line_id)
    lifecycle.refuse_if_archived(line)
    validation.raise_if_any(await refusals(scope, line, amount))
    return await settle(scope, line, amount)


async def refusals(scope: WriteScope, line: BudgetLine, amount: int) -> list[UserError]:
    """Why `line` cannot be settled carrying `amount` (empty when it can)."""
    if line.stage == BudgetStage.SETTLED:
        return [settled_error(line)]
    errors = validation.won("amount", amount)
    unspent = line.budget_current - line.executed
    if not errors and amount > unspent:
        message = (
            f"이월액({amount:,}원)이 집행 잔액({unspent:,}원 = 예산현액 {line.budget_current:,}원 - "
            f"집행액 {line.executed:,}원)보다 클 수 없습니다."
        )
        errors.append(UserError("amount", message, ErrorCode.CARRIED_OVER_UNSPENT))
    if not errors and amount and await year_closed(scope, line.fiscal_year + 1):
        message = f"{line.fiscal_year + 1}년도가 이미 마감되어 그 해로 이월할 수 없습니다."
        errors.append(UserError("amount", message, ErrorCode.YEAR_CLOSED))
    return errors


async def settle(
    scope: WriteScope, line: BudgetLine, amount: int, next_line: BudgetLine | None = None
) -> Carried:
    """Settle the locked, checked `line` and carry `amount`; the caller holds TOTAL_LOCK.

    `next_line`: the next year's line if the caller already knows it (year closing), else looked up.
    """
    changes: BudgetLineFields = {
        "carried_out": amount,
        "unused": line.budget_current - line.executed - amount,
        "stage": BudgetStage.SETTLED,
    }
    settled = await SETTLEMENT.update(scope, line, changes)
    if not amount:
        return Carried(settled, None, created=False)
    target = next_line or await next_year_line(scope, line)
    if target is not None:
        target = await locking.require_locked(scope, BudgetLine, target.pk)
        grown = await BUDGET_LINES.update(scope, target, {"carried_in": target.carried_in + amount})
        return Carried(settled, grown, created=False)
    program_code = await _program_code(scope, line)
    created = await BUDGET_LINES.create(
        scope,
        {
            "program_code": program_code,
            "fiscal_year": line.fiscal_year + 1,
            "funder": line.funder,
            "allocated": 0,
            "carried_in": amount,
            "note": carry_note(line.fiscal_year),
        },
    )
    return Carried(settled, created, created=True)


async def _program_code(scope: WriteScope, line: BudgetLine) -> str:
    query = (
        Program.filter(id=line.program_id).using_db(scope.connection).first().values_list("code", flat=True)
    )
    code = await query
    if code is None:
        raise RecordNotFound("Program", line.program_id)
    return str(code)
