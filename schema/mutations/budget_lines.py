"""budgetLineCreate / budgetLineUpdate / budgetLineArchive / budgetLineRestore."""

from __future__ import annotations

import strawberry
from strawberry import Info, relay

from models.budget_line import BudgetLine as BudgetLineRow
from models.enums import Funder
from models.services import budget_lines
from models.services.write_scope import WriteScope
from schema.mutations.common import Outcome, UserError, node_pk, perform, present_fields, row_values
from schema.records import BUDGET_LINE_COLUMNS, BudgetLine
from schema.scalars import Won

FIELDS = ("program_code", "fiscal_year", "funder", "allocated", "executed", "note")


@strawberry.input(description="A new budget line.")
class BudgetLineCreateInput:
    program_code: str = strawberry.field(description="Code of the program it funds (사업코드).")
    fiscal_year: int = strawberry.field(description="Fiscal year (연도).")
    funder: Funder = strawberry.field(description="Who pays (재원).")
    allocated: Won = strawberry.field(description="Allocated amount (배정액), whole won, not negative.")
    executed: Won = strawberry.field(
        default=Won(0), description="Executed amount (집행액), whole won, at most `allocated`."
    )
    note: str = strawberry.field(default="", description="Free note (비고).")


@strawberry.input(description="Changes to a budget line; absent fields stay as they are.")
class BudgetLineUpdateInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the budget line.")
    program_code: strawberry.Maybe[str] = strawberry.field(description="Move to the program with this code.")
    fiscal_year: strawberry.Maybe[int] = strawberry.field(description="New fiscal year.")
    funder: strawberry.Maybe[Funder] = strawberry.field(description="New funder.")
    allocated: strawberry.Maybe[Won] = strawberry.field(description="New allocated amount.")
    executed: strawberry.Maybe[Won] = strawberry.field(description="New executed amount.")
    note: strawberry.Maybe[str] = strawberry.field(description="New note.")


@strawberry.input(description="The budget line to archive.")
class BudgetLineArchiveInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the budget line.")


@strawberry.input(description="The archived budget line to restore.")
class BudgetLineRestoreInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the budget line.")


@strawberry.type(description="The result of a budget line mutation.")
class BudgetLinePayload:
    budget_line: BudgetLine | None = strawberry.field(
        description="The line after the change; null if refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


def _payload(outcome: Outcome[BudgetLineRow]) -> BudgetLinePayload:
    record = outcome.record
    line = None if record is None else BudgetLine.from_row(row_values(record, BUDGET_LINE_COLUMNS))
    return BudgetLinePayload(budget_line=line, user_errors=outcome.errors)


async def _row(scope: WriteScope, global_id: relay.GlobalID) -> BudgetLineRow:
    row = await BudgetLineRow.filter(id=node_pk(global_id, "BudgetLine")).using_db(scope.connection).first()
    if row is None:
        node_pk(None, "BudgetLine")
    assert row is not None
    return row


async def create(info: Info, values: BudgetLineCreateInput) -> BudgetLinePayload:
    async def work(scope: WriteScope) -> BudgetLineRow:
        fields = {name: getattr(values, name) for name in FIELDS}
        return await budget_lines.create(scope, fields)  # type: ignore[arg-type]

    return _payload(await perform(info, work))


async def update(info: Info, values: BudgetLineUpdateInput) -> BudgetLinePayload:
    async def work(scope: WriteScope) -> BudgetLineRow:
        row = await _row(scope, values.id)
        return await budget_lines.update(scope, row, present_fields(values, FIELDS))  # type: ignore[arg-type]

    return _payload(await perform(info, work))


async def archive(
    info: Info, values: BudgetLineArchiveInput | BudgetLineRestoreInput, *, restore: bool
) -> BudgetLinePayload:
    async def work(scope: WriteScope) -> BudgetLineRow:
        row = await _row(scope, values.id)
        return await (budget_lines.restore if restore else budget_lines.archive)(scope, row)

    return _payload(await perform(info, work))
