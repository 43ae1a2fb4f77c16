# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword arguments is typed as returning Any)
"""Partner (교육자원) as a Relay node, and its link to a program with the partner's role there.

Like the other record types, data fields are plain attributes from `.values()` rows; a
program's partners and a partner's programs are one statement per level through the request's
DataLoaders (`schema.partner_loaders`), which also remember the records at the far end.
"""

from __future__ import annotations

import strawberry
from strawberry import Info, relay

from models.enums import PartnerKind
from schema.records import Program, Record, RecordNode

PARTNER_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "district",
    "phone",
    "email",
    "homepage",
    "created_at",
    "updated_at",
    "archived_at",
)


@strawberry.type(
    description="A local education resource (교육자원): a university, company, village venue or "
    "institution that programs draw on. Only the organisation's public contact points are kept."
)
class Partner(RecordNode, relay.Node, Record):  # type: ignore[misc]  # resolve_nodes: RecordNode's
    node_loader = "partner_by_id"
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Partner code (기관코드), unique.")
    name: str = strawberry.field(description="Name of the organisation (기관명).")
    kind: PartnerKind = strawberry.field(description="What kind of resource it is (유형).")
    district: str = strawberry.field(description="District of Hanam (권역); blank outside Hanam.")
    phone: str = strawberry.field(description="The organisation's public phone number (대표전화).")
    email: str = strawberry.field(description="The organisation's public e-mail (대표이메일).")
    homepage: str = strawberry.field(description="The organisation's homepage (홈페이지).")

    @strawberry.field(description="Live programs this partner takes part in, by program code, with its role.")
    async def programs(self, info: Info) -> list[ProgramPartner]:
        result: list[ProgramPartner] = await info.context.loaders.programs_by_partner.load(self.id)
        return result


@strawberry.type(description="A partner taking part in a program, and its role there (역할).")
class ProgramPartner:
    program_id: strawberry.Private[int]
    partner_id: strawberry.Private[int]
    role: str = strawberry.field(description="The partner's role in the program, e.g. 장소 제공, 강사 파견.")

    @strawberry.field(description="The program.")
    async def program(self, info: Info) -> Program:
        program: Program | None = await info.context.loaders.program_by_id.load(self.program_id)
        assert program is not None  # a foreign key with ON DELETE RESTRICT: the row exists
        return program

    @strawberry.field(description="The partner.")
    async def partner(self, info: Info) -> Partner:
        partner: Partner | None = await info.context.loaders.partner_by_id.load(self.partner_id)
        assert partner is not None  # a foreign key with ON DELETE RESTRICT: the row exists
        return partner
