# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword arguments is typed as returning Any)
"""ProgramSession (운영 실적) as a Relay node: counts by school level, exact hours, and its program
and partner through the request's DataLoaders (one statement per level, as the other records)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry import Info, relay

from schema.partner_records import Partner
from schema.records import Program, Record, RecordNode

SESSION_COLUMNS = (
    "id",
    "program_id",
    "partner_id",
    "held_on",
    "place",
    "elementary",
    "middle",
    "high",
    "special",
    "hours",
    "note",
    "created_at",
    "updated_at",
    "archived_at",
)


@strawberry.type(
    description="A session a program held (운영 실적): when, where or with which partner, and how "
    "many students took part by school level. Counts only: no student is ever named. Needs a token."
)
class ProgramSession(RecordNode, relay.Node, Record):  # type: ignore[misc]  # resolve_nodes: RecordNode's
    node_loader, restricted = "session_by_id", True
    id: relay.NodeID[int]
    program_id: strawberry.Private[int]
    partner_id: strawberry.Private[int | None]
    held_on: date = strawberry.field(description="The day it was held (일자).")
    place: str = strawberry.field(
        description="Where it was held (장소); may be blank when a partner hosted it."
    )
    elementary: int = strawberry.field(description="Participants from elementary schools (초등).")
    middle: int = strawberry.field(description="Participants from middle schools (중등).")
    high: int = strawberry.field(description="Participants from high schools (고등).")
    special: int = strawberry.field(description="Participants from special schools (특수).")
    hours: Decimal = strawberry.field(description="Length in hours, exact to a tenth (시간), e.g. 1.5.")
    note: str = strawberry.field(description="Free note (비고).")

    @strawberry.field(description="Participants of every level together.")
    def participants(self) -> int:
        return self.elementary + self.middle + self.high + self.special

    @strawberry.field(description="The program that held it.")
    async def program(self, info: Info) -> Program:
        program: Program | None = await info.context.loaders.program_by_id.load(self.program_id)
        assert program is not None  # a foreign key with ON DELETE RESTRICT: the row exists
        return program

    @strawberry.field(description="The program's code (사업코드).")
    async def program_code(self, info: Info) -> str:
        program = await self.program(info)
        code: str = program.code
        return code

    @strawberry.field(description="The partner (교육자원) that hosted it; null when none did.")
    async def partner(self, info: Info) -> Partner | None:
        if self.partner_id is None:
            return None
        partner: Partner | None = await info.context.loaders.partner_by_id.load(self.partner_id)
        return partner

    @strawberry.field(description="The partner's code (교육자원코드); null when none hosted it.")
    async def partner_code(self, info: Info) -> str | None:
        partner = await self.partner(info)
        return None if partner is None else partner.code
