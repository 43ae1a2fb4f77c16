"""Closing a fiscal year: every live line of the year not yet settled is settled, in one
transaction, and a FiscalYearClosing records it. A year is closed once.

Each line carries what staff recorded as its 이월액 (carried_out, 0 unless entered) into the same
program and funder's line of the next year (`carry_over.settle`) and the rest of what is unspent
becomes 불용액. Lines already settled one by one (`budgetLineCarryOver`) keep their settlement.
`plan` is the same work read without writing: `eduhub budget close-year --dry-run` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.exceptions import IntegrityError

from models.budget_line import BudgetLine
from models.enums import BudgetStage, ChangeAction, Funder, RecordType
from models.errors import ErrorCode, UserError, ValidationFailed
from models.fiscal_year_closing import FiscalYearClosing
from models.program import Program
from models.services import locking, validation
from models.services.budget_lines import TOTAL_LOCK
from models.services.carry_over import settle
from models.services.write_scope import WriteScope


@dataclass(frozen=True, slots=True)
class ClosingStep:
    """One line the closing settles."""

    line_id: int
    program_code: str
    funder: Funder
    budget_current: int  # 예산현액
    executed: int
    carried: int  # 이월액, into next year
    unused: int  # 불용액
    next_line_id: int | None  # the next year's line it carries into; None: created (or nothing carried)


@dataclass
class ClosingPlan:
    fiscal_year: int
    steps: list[ClosingStep] = field(default_factory=list)
    already_settled: int = 0  # lines settled before the closing (carried one by one)

    @property
    def lines_created(self) -> int:
        """Next-year lines the closing creates: one per program and funder carrying into no line."""
        return len({(s.program_code, s.funder) for s in self.steps if s.carried and s.next_line_id is None})

    @property
    def total_executed(self) -> int:
        return sum(s.executed for s in self.steps)

    @property
    def total_carried(self) -> int:
        return sum(s.carried for s in self.steps)

    @property
    def total_unused(self) -> int:
        return sum(s.unused for s in self.steps)


def already_closed_error(closing: FiscalYearClosing) -> UserError:
    when = closing.closed_at.strftime("%Y-%m-%d %H:%M UTC")
    message = (
        f"{closing.fiscal_year}년도는 이미 마감되었습니다({when}, {closing.actor_name}). "
        "한 해는 한 번만 마감합니다."
    )
    return UserError("fiscalYear", message, ErrorCode.YEAR_CLOSED)


async def refusals(fiscal_year: int, connection: Any = None) -> list[UserError]:
    """Why `fiscal_year` cannot be closed (empty when it can)."""
    errors = validation.fiscal_year("fiscalYear", fiscal_year)
    if errors:
        return errors
    query = FiscalYearClosing.filter(fiscal_year=fiscal_year)
    closing = await (query.using_db(connection) if connection else query).first()
    return [already_closed_error(closing)] if closing is not None else []


async def plan(fiscal_year: int, connection: Any = None, *, lock: bool = False) -> ClosingPlan:
    """What closing `fiscal_year` would do, from the lines as they are now."""
    lines = await _lines(fiscal_year, connection, lock=lock)
    steps, settled = [], 0
    codes = await _program_codes({line.program_id for line in lines}, connection)
    following = {
        (line.program_id, line.funder): line.pk
        for line in reversed(lines)  # the oldest line of a program and funder wins, as in carry_over
        if line.fiscal_year == fiscal_year + 1
    }
    for line in lines:
        if line.fiscal_year != fiscal_year:
            continue
        if line.stage == BudgetStage.SETTLED:
            settled += 1
            continue
        carried = line.carried_out
        steps.append(
            ClosingStep(
                line.pk,
                codes[line.program_id],
                Funder(line.funder),
                line.budget_current,
                line.executed,
                carried,
                line.budget_current - line.executed - carried,
                following.get((line.program_id, line.funder)),
            )
        )
    return ClosingPlan(fiscal_year, steps, settled)


async def close(scope: WriteScope, fiscal_year: int) -> tuple[ClosingPlan, FiscalYearClosing]:
    """Close `fiscal_year` in the caller's scope (ValidationFailed if it is closed or cannot be)."""
    await locking.exclusive(scope, TOTAL_LOCK)  # every carry and every line placed in a year waits
    validation.raise_if_any(await refusals(fiscal_year, scope.connection))
    work = await plan(fiscal_year, scope.connection, lock=True)
    if (
        work.total_carried
        and await FiscalYearClosing.filter(fiscal_year=fiscal_year + 1).using_db(scope.connection).exists()
    ):
        message = f"{fiscal_year + 1}년도가 이미 마감되어 {fiscal_year}년도 이월액을 넘길 수 없습니다."
        raise ValidationFailed([UserError("fiscalYear", message, ErrorCode.YEAR_CLOSED)])
    created: dict[tuple[str, Funder], BudgetLine] = {}
    for step in work.steps:
        line = await locking.require_locked(scope, BudgetLine, step.line_id)
        known = created.get((step.program_code, step.funder))
        carried = await settle(scope, line, step.carried, next_line=known)
        if carried.created and carried.next_line is not None:
            created[(step.program_code, step.funder)] = carried.next_line
    closing = await _record(scope, work)
    return work, closing


async def _record(scope: WriteScope, work: ClosingPlan) -> FiscalYearClosing:
    values = {
        "fiscal_year": work.fiscal_year,
        "lines_settled": len(work.steps),
        "lines_created": work.lines_created,
        "total_executed": work.total_executed,
        "total_carried": work.total_carried,
        "total_unused": work.total_unused,
    }
    try:
        closing = await FiscalYearClosing.create(
            using_db=scope.connection, actor_kind=scope.actor.kind, actor_name=scope.actor.name, **values
        )
    except IntegrityError as error:
        # The unique year caught a closing the lock did not serialize (it always should).
        raise ValidationFailed(
            [UserError("fiscalYear", f"{work.fiscal_year}년도는 이미 마감되었습니다.", ErrorCode.YEAR_CLOSED)]
        ) from error
    changes = {name: [None, value] for name, value in values.items()}
    await scope.record(RecordType.FISCAL_YEAR_CLOSING, closing.pk, ChangeAction.CREATE, changes)
    return closing


async def _lines(fiscal_year: int, connection: Any, *, lock: bool) -> list[BudgetLine]:
    """Live lines of the year and the next one, in id order (locked in that order when `lock`)."""
    query = BudgetLine.filter(fiscal_year__in=[fiscal_year, fiscal_year + 1], archived_at=None).order_by("id")
    if connection is not None:
        query = query.using_db(connection)
    return list(await (query.select_for_update() if lock else query))


async def _program_codes(ids: set[int], connection: Any) -> dict[int, str]:
    query = Program.filter(id__in=ids)
    rows = await (query.using_db(connection) if connection else query).values_list("id", "code")
    return {int(pk): str(code) for pk, code in rows}
