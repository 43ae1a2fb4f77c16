# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword arguments is typed as returning Any)
"""The agreement (업무협약), its supplementary agreements (실무 협약) and their allocations as Relay
nodes; relations and shares through the request's DataLoaders (one statement per level).

Agreements and supplements are public documents; allocations carry per-program money, so, like
budget lines, they need a token.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Info, relay

from models.enums import Funder
from schema.permissions import CanReadRestricted
from schema.records import Program, Record, RecordNode
from schema.scalars import Won

AGREEMENT_COLUMNS = (
    "id",
    "code",
    "title",
    "parties",
    "signed_on",
    "term_start",
    "term_end",
    "note",
    "created_at",
    "updated_at",
    "archived_at",
)
SUPPLEMENT_COLUMNS = (
    "id",
    "code",
    "agreement_id",
    "title",
    "signed_on",
    "note",
    "created_at",
    "updated_at",
    "archived_at",
)
ALLOCATION_COLUMNS = (
    "id",
    "supplementary_agreement_id",
    "program_id",
    "fiscal_year",
    "total",
    "created_at",
    "updated_at",
    "archived_at",
)
RESTRICTED = "Needs a token (partner, staff, admin)."


@strawberry.type(description="What one funder pays (재원별 분담액), in whole won.")
class AllocationShare:
    funder: Funder = strawberry.field(description="Who pays (재원).")
    amount: Won = strawberry.field(description="The amount in whole won.")


@strawberry.type(
    description="The agreement between Hanam City and the Gwangju Hanam Office of Education (업무협약): "
    "who signed it and the term it runs for."
)
class Agreement(RecordNode, relay.Node, Record):  # type: ignore[misc]  # resolve_nodes: RecordNode's
    node_loader = "agreement_by_id"
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Agreement code (협약코드), unique.")
    title: str = strawberry.field(description="Title (협약명).")
    parties: str = strawberry.field(
        description="Who signed it (협약 당사자), e.g. 하남시, 경기도광주하남교육지원청."
    )
    signed_on: date | None = strawberry.field(
        description="The day it was signed (체결일); null if not known."
    )
    term_start: date = strawberry.field(description="First day of its term (협약 기간 시작).")
    term_end: date = strawberry.field(description="Last day of its term (협약 기간 종료).")
    note: str = strawberry.field(description="Free note (비고).")

    @strawberry.field(
        description="Fiscal years the term covers (by calendar year, as city and office budgets)."
    )
    def fiscal_years(self) -> list[int]:
        return list(range(self.term_start.year, self.term_end.year + 1))

    @strawberry.field(description="Live supplementary agreements (실무 협약) under it, by code.")
    async def supplementary_agreements(self, info: Info) -> list[SupplementaryAgreement]:
        found: list[SupplementaryAgreement] = await info.context.loaders.supplements_by_agreement.load(
            self.id
        )
        return found


@strawberry.type(
    description="A working-level supplementary agreement (실무 협약): it fixes, program by program and "
    "year by year, what each funder pays."
)
class SupplementaryAgreement(RecordNode, relay.Node, Record):  # type: ignore[misc]
    node_loader = "supplement_by_id"
    id: relay.NodeID[int]
    agreement_id: strawberry.Private[int]
    code: str = strawberry.field(description="Supplementary agreement code (실무협약코드), unique.")
    title: str = strawberry.field(description="Title (실무 협약명).")
    signed_on: date | None = strawberry.field(
        description="The day it was signed (체결일); null if not known."
    )
    note: str = strawberry.field(description="Free note (비고).")

    @strawberry.field(description="The agreement it belongs to.")
    async def agreement(self, info: Info) -> Agreement:
        found: Agreement | None = await info.context.loaders.agreement_by_id.load(self.agreement_id)
        assert found is not None  # a foreign key with ON DELETE RESTRICT: the row exists
        return found

    @strawberry.field(description="The agreement's code (협약코드).")
    async def agreement_code(self, info: Info) -> str:
        code: str = (await self.agreement(info)).code
        return code

    @strawberry.field(
        description=f"Live allocations it fixes, by fiscal year. {RESTRICTED}",
        permission_classes=[CanReadRestricted],
    )
    async def allocations(self, info: Info) -> list[Allocation] | None:
        found: list[Allocation] = await info.context.loaders.allocations_by_supplement.load(self.id)
        return found


@strawberry.type(
    description="One program's allocation for one fiscal year as a supplementary agreement fixed it: "
    f"the total and each funder's share, which add up to it (배정). {RESTRICTED}"
)
class Allocation(RecordNode, relay.Node, Record):  # type: ignore[misc]
    node_loader, restricted = "allocation_by_id", True
    id: relay.NodeID[int]
    supplementary_agreement_id: strawberry.Private[int]
    program_id: strawberry.Private[int]
    fiscal_year: int = strawberry.field(description="Fiscal year (연도), within the agreement's term.")
    total: Won = strawberry.field(description="The program's total for the year (사업 총액), in whole won.")

    @strawberry.field(description="Each paying funder's share (재원별 분담액), in the order of `Funder`.")
    async def shares(self, info: Info) -> list[AllocationShare]:
        found: list[AllocationShare] = await info.context.loaders.shares_by_allocation.load(self.id)
        return found

    @strawberry.field(
        description="What the program's live budget lines of this fiscal year allocate (배정액), per "
        "funder with any line, in the order of `Funder`: compare with `shares`."
    )
    async def budgeted(self, info: Info) -> list[AllocationShare]:
        key = (self.program_id, self.fiscal_year)
        found: list[AllocationShare] = await info.context.loaders.budgeted_by_program_year.load(key)
        return found

    @strawberry.field(description="The sum of `budgeted`, in whole won.")
    async def budgeted_total(self, info: Info) -> Won:
        return Won(sum(share.amount for share in await self.budgeted(info)))

    @strawberry.field(description="The supplementary agreement that fixed it.")
    async def supplementary_agreement(self, info: Info) -> SupplementaryAgreement:
        loader = info.context.loaders.supplement_by_id
        found: SupplementaryAgreement | None = await loader.load(self.supplementary_agreement_id)
        assert found is not None  # a foreign key with ON DELETE RESTRICT: the row exists
        return found

    @strawberry.field(description="The supplementary agreement's code (실무협약코드).")
    async def supplementary_code(self, info: Info) -> str:
        code: str = (await self.supplementary_agreement(info)).code
        return code

    @strawberry.field(description="The program it funds.")
    async def program(self, info: Info) -> Program:
        found: Program | None = await info.context.loaders.program_by_id.load(self.program_id)
        assert found is not None  # a foreign key with ON DELETE RESTRICT: the row exists
        return found

    @strawberry.field(description="The program's code (사업코드).")
    async def program_code(self, info: Info) -> str:
        code: str = (await self.program(info)).code
        return code
