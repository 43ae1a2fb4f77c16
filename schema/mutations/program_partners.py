# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/input with keyword arguments are typed as returning Any)
"""programPartnerSet / programPartnerRemove: link a partner to a program in a role, or unlink it.

Both address the partner and the program by code, as staff know them, and write through
`models.services.program_partners` (one transaction, an event in the partner's history).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import Info

from models.partner import Partner as PartnerRow
from models.services import program_partners
from models.services.write_scope import WriteScope
from schema.mutations.common import Outcome, UserError, locate, perform, row_values
from schema.partner_records import PARTNER_COLUMNS, Partner


@strawberry.input(description="A partner to link to a program, and its role there.")
class ProgramPartnerSetInput:
    partner_code: str = strawberry.field(description="Partner code (기관코드).")
    program_code: str = strawberry.field(description="Program code (사업코드) of a live program.")
    role: str = strawberry.field(default="", description="Its role in the program (역할), e.g. 장소 제공.")


@strawberry.input(description="A partner to take off a program.")
class ProgramPartnerRemoveInput:
    partner_code: str = strawberry.field(description="Partner code (기관코드).")
    program_code: str = strawberry.field(description="Program code (사업코드).")


@strawberry.type(description="The result of linking or unlinking a partner and a program.")
class ProgramPartnerPayload:
    partner: Partner | None = strawberry.field(
        description="The partner after the change (its `programs` show the links); null if refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


async def set_link(
    info: Info,
    input: Annotated[
        ProgramPartnerSetInput, strawberry.argument(description="The partner, program and role.")
    ],
) -> ProgramPartnerPayload:
    async def work(scope: WriteScope) -> PartnerRow:
        partner: PartnerRow = await _partner(scope, input.partner_code)
        await program_partners.link(scope, partner, input.program_code, input.role)
        return partner

    return _answer(await perform(info, work))


async def remove_link(
    info: Info,
    input: Annotated[ProgramPartnerRemoveInput, strawberry.argument(description="The partner and program.")],
) -> ProgramPartnerPayload:
    async def work(scope: WriteScope) -> PartnerRow:
        partner: PartnerRow = await _partner(scope, input.partner_code)
        await program_partners.unlink(scope, partner, input.program_code)
        return partner

    return _answer(await perform(info, work))


async def _partner(scope: WriteScope, code: str) -> PartnerRow:
    partner: PartnerRow = await locate(PartnerRow, scope, global_id=None, code=code, type_name="Partner")
    return partner


def _answer(outcome: Outcome[PartnerRow]) -> ProgramPartnerPayload:
    record, errors = outcome.record, outcome.errors
    built = None if record is None else Partner.from_row(row_values(record, PARTNER_COLUMNS))
    return ProgramPartnerPayload(partner=built, user_errors=errors)
