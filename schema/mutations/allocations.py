# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/input with keyword arguments are typed as returning Any)
"""allocationSet / allocationArchive / allocationRestore: one program's allocation for one year.

`allocationSet` names the allocation by its key (supplementary agreement, program, fiscal year)
and sets the total and every funder's share at once: it creates the allocation, or replaces the
live one with that key (`models.services.allocations`, one transaction, one change event).
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import Info, relay

from models.allocation import Allocation as AllocationRow
from models.enums import Funder
from models.services import allocations
from models.services.write_scope import WriteScope
from schema.agreement_records import ALLOCATION_COLUMNS, Allocation
from schema.mutations.common import Outcome, Refused, UserError, node_pk, not_found, perform, row_values
from schema.scalars import Won


@strawberry.input(description="What one funder pays of the allocation.")
class AllocationShareInput:
    funder: Funder = strawberry.field(description="Who pays (재원); each funder at most once.")
    amount: Won = strawberry.field(description="The amount in whole won, not negative.")


@strawberry.input(description="One program's allocation for one fiscal year, with every funder's share.")
class AllocationSetInput:
    supplementary_code: str = strawberry.field(
        description="Code of the live supplementary agreement fixing it (실무협약코드)."
    )
    program_code: str = strawberry.field(description="Code of the live program it funds (사업코드).")
    fiscal_year: int = strawberry.field(description="Fiscal year (연도), within the agreement's term.")
    total: Won = strawberry.field(description="The program's total for the year (사업 총액), in whole won.")
    shares: list[AllocationShareInput] = strawberry.field(
        description="Every paying funder's share; they must add up to `total`. Replaces the shares held."
    )


@strawberry.input(description="The allocation to archive.")
class AllocationArchiveInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the allocation.")


@strawberry.input(description="The archived allocation to restore.")
class AllocationRestoreInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the allocation.")


@strawberry.type(description="The result of an allocation mutation.")
class AllocationPayload:
    allocation: Allocation | None = strawberry.field(
        description="The allocation after the change; null if refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


async def set_allocation(
    info: Info,
    input: Annotated[
        AllocationSetInput, strawberry.argument(description="The allocation's key, total and shares.")
    ],
) -> AllocationPayload:
    fields: dict[str, Any] = {
        "supplementary_code": input.supplementary_code,
        "program_code": input.program_code,
        "fiscal_year": input.fiscal_year,
        "total": input.total,
        "shares": [{"funder": share.funder, "amount": share.amount} for share in input.shares],
    }

    async def work(scope: WriteScope) -> AllocationRow:
        return await allocations.set_allocation(scope, fields)  # type: ignore[arg-type]

    return _answer(await perform(info, work))


async def archive_allocation(
    info: Info,
    input: Annotated[AllocationArchiveInput, strawberry.argument(description="The allocation to archive.")],
) -> AllocationPayload:
    async def work(scope: WriteScope) -> AllocationRow:
        return await allocations.archive(scope, await _by_id(scope, input.id))

    return _answer(await perform(info, work))


async def restore_allocation(
    info: Info,
    input: Annotated[AllocationRestoreInput, strawberry.argument(description="The allocation to restore.")],
) -> AllocationPayload:
    async def work(scope: WriteScope) -> AllocationRow:
        return await allocations.restore(scope, await _by_id(scope, input.id))

    return _answer(await perform(info, work))


async def _by_id(scope: WriteScope, global_id: relay.GlobalID) -> AllocationRow:
    found = await AllocationRow.filter(id=node_pk(global_id, "Allocation")).using_db(scope.connection).first()
    if found is None:
        raise Refused([not_found("id", "Allocation id")])
    return found


def _answer(outcome: Outcome[AllocationRow]) -> AllocationPayload:
    record = outcome.record
    built = None if record is None else Allocation.from_row(row_values(record, ALLOCATION_COLUMNS))
    return AllocationPayload(allocation=built, user_errors=outcome.errors)
