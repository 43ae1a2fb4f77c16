# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""budgetLineCarryOver (staff) and fiscalYearClose (admin): settling budget lines at year end.

Both call the services the CLI calls (`models.services.carry_over`, `year_closing`), in one
transaction as the viewer; refusals are Korean `userErrors`.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import Info, relay

from models.budget_line import BudgetLine as BudgetLineRow
from models.enums import Funder
from models.errors import ValidationFailed
from models.services import carry_over, year_closing
from models.services.write_scope import WriteScope, write_scope
from schema.mutations.common import UserError, node_pk, perform, row_values
from schema.records import BUDGET_LINE_COLUMNS, BudgetLine
from schema.scalars import Won


@strawberry.input(
    description="The budget line to settle and what of its unspent rest to carry into next year."
)
class BudgetLineCarryOverInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the budget line (year Y).")
    amount: Won = strawberry.field(
        description="Carried into year Y+1 (이월액), at most budgetCurrent - executed; the rest is unused."
    )


@strawberry.type(description="The result of budgetLineCarryOver.")
class BudgetLineCarryOverPayload:
    budget_line: BudgetLine | None = strawberry.field(description="The settled line; null if refused.")
    next_year_line: BudgetLine | None = strawberry.field(
        description="The next year's line the amount went to (created if none); null if nothing moved."
    )
    created_next_year_line: bool = strawberry.field(description="True when the next year's line is new.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


def _record(row: BudgetLineRow | None) -> BudgetLine | None:
    return None if row is None else BudgetLine.from_row(row_values(row, BUDGET_LINE_COLUMNS))


async def carry(
    info: Info,
    input: Annotated[
        BudgetLineCarryOverInput, strawberry.argument(description="The line and the amount to carry over.")
    ],
) -> BudgetLineCarryOverPayload:
    async def work(scope: WriteScope) -> carry_over.Carried:
        # A line that is gone is RecordNotFound, which `perform` answers as NOT_FOUND.
        return await carry_over.carry_over(scope, node_pk(input.id, "BudgetLine"), int(input.amount))

    outcome = await perform(info, work)
    done = outcome.record
    return BudgetLineCarryOverPayload(
        budget_line=_record(done.line if done else None),
        next_year_line=_record(done.next_line if done else None),
        created_next_year_line=bool(done and done.created),
        user_errors=outcome.errors,
    )


@strawberry.input(description="The fiscal year to close, and whether only to say what would happen.")
class FiscalYearCloseInput:
    fiscal_year: int = strawberry.field(description="The calendar fiscal year to close, e.g. 2025.")
    dry_run: bool = strawberry.field(default=False, description="Say what would happen; write nothing.")


@strawberry.type(description="One budget line closing the year settles (or would settle).")
class ClosingLine:
    budget_line_id: relay.GlobalID = strawberry.field(description="Global id of the line.")
    program_code: str = strawberry.field(description="Its program's code (사업코드).")
    funder: Funder = strawberry.field(description="Who pays (재원).")
    budget_current: Won = strawberry.field(description="예산현액 = allocated + carriedIn.")
    executed: Won = strawberry.field(description="집행액.")
    carried: Won = strawberry.field(description="이월액 carried into next year (the line's carriedOut).")
    unused: Won = strawberry.field(description="불용액 = budgetCurrent - executed - carried.")
    creates_next_year_line: bool = strawberry.field(
        description="True when the carry creates the next year's line (there is none yet)."
    )


@strawberry.type(description="What closing a fiscal year did (or would do, in a dry run).")
class FiscalYearClosePayload:
    fiscal_year: int = strawberry.field(description="The year.")
    dry_run: bool = strawberry.field(description="True when nothing was written.")
    lines: list[ClosingLine] = strawberry.field(description="Every line settled, in id order.")
    lines_created: int = strawberry.field(description="Next-year lines created for carried money.")
    already_settled: int = strawberry.field(description="Lines settled before (carried one by one).")
    total_carried: Won = strawberry.field(description="Sum of 이월액 carried into next year.")
    total_unused: Won = strawberry.field(description="Sum of 불용액.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


async def close(
    info: Info,
    input: Annotated[FiscalYearCloseInput, strawberry.argument(description="The year and dry run.")],
) -> FiscalYearClosePayload:
    year = input.fiscal_year
    try:
        if input.dry_run:
            errors = await year_closing.refusals(year)
            if errors:
                raise ValidationFailed(errors)
            plan = await year_closing.plan(year)
        else:
            async with write_scope(info.context.viewer) as scope:
                plan, _ = await year_closing.close(scope, year)
    except ValidationFailed as failure:
        empty = year_closing.ClosingPlan(year)
        return _closing_payload(empty, input.dry_run, [UserError.from_model(e) for e in failure.errors])
    return _closing_payload(plan, input.dry_run, [])


def _closing_payload(
    plan: year_closing.ClosingPlan, dry_run: bool, errors: list[UserError]
) -> FiscalYearClosePayload:
    new_keys = {(s.program_code, s.funder) for s in plan.steps if s.carried and s.next_line_id is None}
    seen: set[tuple[str, Funder]] = set()
    lines = []
    for step in plan.steps:
        key = (step.program_code, step.funder)
        creates = key in new_keys and key not in seen
        if creates:
            seen.add(key)
        lines.append(
            ClosingLine(
                budget_line_id=relay.GlobalID("BudgetLine", str(step.line_id)),
                program_code=step.program_code,
                funder=step.funder,
                budget_current=Won(step.budget_current),
                executed=Won(step.executed),
                carried=Won(step.carried),
                unused=Won(step.unused),
                creates_next_year_line=creates,
            )
        )
    return FiscalYearClosePayload(
        fiscal_year=plan.fiscal_year,
        dry_run=dry_run,
        lines=lines,
        lines_created=plan.lines_created,
        already_settled=plan.already_settled,
        total_carried=Won(plan.total_carried),
        total_unused=Won(plan.total_unused),
        user_errors=errors,
    )
