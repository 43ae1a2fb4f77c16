"""The school family: unique NEIS-style codes, and a school live programs use is not archived."""

from __future__ import annotations

from typing import TypedDict

from models.enums import RecordType, SchoolLevel
from models.errors import UserError
from models.program import Program
from models.school import School
from models.services import references, validation
from models.services.family import Dependents, Family, Values
from models.services.record_values import school_values
from models.services.write_scope import WriteScope

MAX_STUDENTS = 100_000


class SchoolFields(TypedDict, total=False):
    code: str
    name: str
    level: SchoolLevel
    district: str
    students: int


async def get_by_code(code: str) -> School | None:
    return await School.get_or_none(code=code)


class Schools(Family[School, SchoolFields]):
    model, record_type, code_label = School, RecordType.SCHOOL, "학교코드"
    required = ("code", "name", "level", "district")
    dependents = (
        Dependents(
            Program,
            "school_id",
            "이 학교를 사용하는 사업 {count}개를 먼저 보관하거나 다른 학교로 옮겨야 합니다.",
        ),
    )

    async def validate(self, fields: SchoolFields, current: School | None) -> list[UserError]:
        errors: list[UserError] = []
        if "code" in fields:
            previous = current.code if current else None
            errors += await validation.unique_code(
                School, fields["code"], current=previous, max_length=20, label="학교코드"
            )
        if "name" in fields:
            errors += validation.text("name", fields["name"], max_length=100)
        if "district" in fields:
            errors += validation.text("district", fields["district"], max_length=30)
        if "students" in fields:
            errors += validation.count("students", fields["students"], maximum=MAX_STUDENTS)
        return errors

    async def renamed(self, scope: WriteScope, record_id: int, old: str, new: str) -> None:
        await references.school_renamed(scope, record_id, old, new)

    def values(self, school: School, reference_code: str | None) -> Values:
        return school_values(school)  # a school names no other record


SCHOOLS = Schools()
create, update, archive, restore = SCHOOLS.create, SCHOOLS.update, SCHOOLS.archive, SCHOOLS.restore
