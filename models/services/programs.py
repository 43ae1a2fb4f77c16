"""The program family: unique codes, a school named by code (blank = city-wide), and a program
with live budget lines, sessions or allocations is not archived."""

from __future__ import annotations

from typing import TypedDict

from models.allocation import Allocation
from models.budget_line import BudgetLine
from models.enums import ProgramCategory, ProgramStatus, RecordType
from models.errors import ErrorCode, UserError
from models.program import Program
from models.program_session import ProgramSession
from models.school import School
from models.services import allocations, program_sessions, references, validation
from models.services.family import Dependents, Family, Reference, Values
from models.services.record_values import program_values
from models.services.write_scope import WriteScope


class ProgramFields(TypedDict, total=False):
    code: str
    name: str
    category: ProgramCategory
    school_code: str | None
    fiscal_year: int
    status: ProgramStatus
    description: str


def _unknown_school(code: str) -> UserError:
    return UserError("schoolCode", f"학교코드 '{code}'인 학교가 없습니다.", ErrorCode.UNKNOWN_SCHOOL)


SCHOOL = Reference("school_code", "school", School, _unknown_school, optional=True)


async def get_by_code(code: str) -> Program | None:
    return await Program.get_or_none(code=code)


async def school_code_of(program: Program) -> str | None:
    return await SCHOOL.code_of(program)


class Programs(Family[Program, ProgramFields]):
    model, record_type, code_label = Program, RecordType.PROGRAM, "사업코드"
    required = ("code", "name", "category", "fiscal_year")
    # A session is a record of what was held: it keeps its program live, like a budget line;
    # so do the allocations supplementary agreements fixed for it.
    dependents = (
        Dependents(BudgetLine, "program_id", "이 사업의 예산 {count}건을 먼저 보관해야 합니다."),
        Dependents(ProgramSession, "program_id", "이 사업의 운영 실적 {count}건을 먼저 보관해야 합니다."),
        Dependents(Allocation, "program_id", "이 사업의 실무 협약 배정 {count}건을 먼저 보관해야 합니다."),
    )
    reference = SCHOOL

    async def validate(self, fields: ProgramFields, current: Program | None) -> list[UserError]:
        errors: list[UserError] = []
        if "code" in fields:
            errors += await validation.unique_code(
                Program,
                fields["code"],
                current=current.code if current else None,
                max_length=30,
                label="사업코드",
            )
        if "name" in fields:
            errors += validation.text("name", fields["name"], max_length=200)
        if "fiscal_year" in fields:
            errors += validation.fiscal_year("fiscalYear", fields["fiscal_year"])
        if "description" in fields:
            errors += validation.text("description", fields["description"], max_length=5000, required=False)
        return errors

    def values(self, program: Program, reference_code: str | None) -> Values:
        return program_values(program, reference_code)

    async def renamed(self, scope: WriteScope, record_id: int, old: str, new: str) -> None:
        await references.program_renamed(scope, record_id, old, new)
        await program_sessions.program_renamed(scope, record_id, old, new)
        await allocations.program_renamed(scope, record_id, old, new)


PROGRAMS = Programs()
create, update, archive, restore = PROGRAMS.create, PROGRAMS.update, PROGRAMS.archive, PROGRAMS.restore
