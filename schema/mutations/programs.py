"""programCreate / programUpdate / programArchive / programRestore."""

from __future__ import annotations

import strawberry
from strawberry import Info, relay

from models.enums import ProgramCategory, ProgramStatus
from models.program import Program as ProgramRow
from models.services import programs
from models.services.write_scope import WriteScope
from schema.mutations.common import Outcome, UserError, locate, node_pk, perform, present_fields, row_values
from schema.records import PROGRAM_COLUMNS, Program

FIELDS = ("code", "name", "category", "school_code", "fiscal_year", "status", "description")


@strawberry.input(description="A new program.")
class ProgramCreateInput:
    code: str = strawberry.field(description="Program code (사업코드), unique.")
    name: str = strawberry.field(description="Program name (사업명).")
    category: ProgramCategory = strawberry.field(description="Program type (유형).")
    school_code: str | None = strawberry.field(
        default=None, description="Code of the school it runs at; null or blank for a city-wide program."
    )
    fiscal_year: int = strawberry.field(description="Fiscal year (연도).")
    status: ProgramStatus = strawberry.field(default=ProgramStatus.PLANNED, description="Status (상태).")
    description: str = strawberry.field(default="", description="Free description (설명).")


@strawberry.input(description="Changes to a program; absent fields stay as they are.")
class ProgramUpdateInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the program.")
    code: strawberry.Maybe[str] = strawberry.field(description="New program code.")
    name: strawberry.Maybe[str] = strawberry.field(description="New name.")
    category: strawberry.Maybe[ProgramCategory] = strawberry.field(description="New type.")
    school_code: strawberry.Maybe[str | None] = strawberry.field(
        description="New school by code; null makes the program city-wide."
    )
    fiscal_year: strawberry.Maybe[int] = strawberry.field(description="New fiscal year.")
    status: strawberry.Maybe[ProgramStatus] = strawberry.field(description="New status.")
    description: strawberry.Maybe[str] = strawberry.field(description="New description.")


@strawberry.input(description="The program to archive: give its global id or its code.")
class ProgramArchiveInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Global id of the program.")
    code: str | None = strawberry.field(default=None, description="Program code, instead of the id.")


@strawberry.input(description="The archived program to restore: give its global id or its code.")
class ProgramRestoreInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Global id of the program.")
    code: str | None = strawberry.field(default=None, description="Program code, instead of the id.")


@strawberry.type(description="The result of a program mutation.")
class ProgramPayload:
    program: Program | None = strawberry.field(description="The program after the change; null if refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


def _payload(outcome: Outcome[ProgramRow]) -> ProgramPayload:
    record = outcome.record
    program = None if record is None else Program.from_row(row_values(record, PROGRAM_COLUMNS))
    return ProgramPayload(program=program, user_errors=outcome.errors)


async def create(info: Info, values: ProgramCreateInput) -> ProgramPayload:
    async def work(scope: WriteScope) -> ProgramRow:
        fields = {name: getattr(values, name) for name in FIELDS}
        return await programs.create(scope, fields)  # type: ignore[arg-type]

    return _payload(await perform(info, work))


async def update(info: Info, values: ProgramUpdateInput) -> ProgramPayload:
    async def work(scope: WriteScope) -> ProgramRow:
        row = await ProgramRow.filter(id=node_pk(values.id, "Program")).using_db(scope.connection).first()
        if row is None:
            node_pk(None, "Program")
        changes = present_fields(values, FIELDS, nullable=["school_code"])
        return await programs.update(scope, row, changes)  # type: ignore[arg-type]

    return _payload(await perform(info, work))


async def archive(
    info: Info, values: ProgramArchiveInput | ProgramRestoreInput, *, restore: bool
) -> ProgramPayload:
    async def work(scope: WriteScope) -> ProgramRow:
        row = await locate(ProgramRow, scope, global_id=values.id, code=values.code, type_name="Program")
        return await (programs.restore if restore else programs.archive)(scope, row)

    return _payload(await perform(info, work))
