"""schoolCreate / schoolUpdate / schoolArchive / schoolRestore."""

from __future__ import annotations

import strawberry
from strawberry import Info, relay

from models.enums import SchoolLevel
from models.school import School as SchoolRow
from models.services import schools
from models.services.write_scope import WriteScope
from schema.mutations.common import Outcome, UserError, locate, node_pk, perform, present_fields, row_values
from schema.records import SCHOOL_COLUMNS, School

UPDATABLE = ("code", "name", "level", "district", "students")


@strawberry.input(description="A new school.")
class SchoolCreateInput:
    code: str = strawberry.field(description="NEIS-style school code (학교코드), unique.")
    name: str = strawberry.field(description="School name (학교명).")
    level: SchoolLevel = strawberry.field(description="School level (학교급).")
    district: str = strawberry.field(description="District (권역), e.g. 미사.")
    students: int = strawberry.field(default=0, description="Students enrolled (학생수).")


@strawberry.input(description="Changes to a school; absent fields stay as they are.")
class SchoolUpdateInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the school.")
    code: strawberry.Maybe[str] = strawberry.field(description="New school code.")
    name: strawberry.Maybe[str] = strawberry.field(description="New name.")
    level: strawberry.Maybe[SchoolLevel] = strawberry.field(description="New level.")
    district: strawberry.Maybe[str] = strawberry.field(description="New district.")
    students: strawberry.Maybe[int] = strawberry.field(description="New number of students.")


@strawberry.input(description="The school to archive: give its global id or its code.")
class SchoolArchiveInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Global id of the school.")
    code: str | None = strawberry.field(default=None, description="School code, instead of the id.")


@strawberry.input(description="The archived school to restore: give its global id or its code.")
class SchoolRestoreInput:
    id: relay.GlobalID | None = strawberry.field(default=None, description="Global id of the school.")
    code: str | None = strawberry.field(default=None, description="School code, instead of the id.")


@strawberry.type(description="The result of a school mutation.")
class SchoolPayload:
    school: School | None = strawberry.field(description="The school after the change; null if refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


def _payload(outcome: Outcome[SchoolRow]) -> SchoolPayload:
    record = outcome.record
    school = None if record is None else School.from_row(row_values(record, SCHOOL_COLUMNS))
    return SchoolPayload(school=school, user_errors=outcome.errors)


async def create(info: Info, values: SchoolCreateInput) -> SchoolPayload:
    async def work(scope: WriteScope) -> SchoolRow:
        fields = {name: getattr(values, name) for name in UPDATABLE}
        return await schools.create(scope, fields)  # type: ignore[arg-type]

    return _payload(await perform(info, work))


async def update(info: Info, values: SchoolUpdateInput) -> SchoolPayload:
    async def work(scope: WriteScope) -> SchoolRow:
        row = await SchoolRow.filter(id=node_pk(values.id, "School")).using_db(scope.connection).first()
        if row is None:
            node_pk(None, "School")
        changes = present_fields(values, UPDATABLE)
        return await schools.update(scope, row, changes)  # type: ignore[arg-type]

    return _payload(await perform(info, work))


async def archive(
    info: Info, values: SchoolArchiveInput | SchoolRestoreInput, *, restore: bool
) -> SchoolPayload:
    async def work(scope: WriteScope) -> SchoolRow:
        row = await locate(SchoolRow, scope, global_id=values.id, code=values.code, type_name="School")
        return await (schools.restore if restore else schools.archive)(scope, row)

    return _payload(await perform(info, work))
