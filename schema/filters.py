"""Filter inputs and their translation to Tortoise filter keywords (all conditions must hold).

List-valued conditions mean "any of these"; an empty or absent list means no condition.
A string longer than the column it is compared with is refused (`schema.bounds`), never sent.
"""

from __future__ import annotations

from typing import Any

import strawberry

from models.enums import Funder, ProgramCategory, ProgramStatus, SchoolLevel
from models.program import Program as ProgramRow
from models.school import School as SchoolRow
from schema.bounds import check_length


@strawberry.input(description="Which schools to return; every given condition must hold.")
class SchoolFilter:
    codes: list[str] | None = strawberry.field(default=None, description="Any of these school codes.")
    levels: list[SchoolLevel] | None = strawberry.field(default=None, description="Any of these levels.")
    districts: list[str] | None = strawberry.field(
        default=None, description="Any of these districts (권역), e.g. 미사."
    )
    name_contains: str | None = strawberry.field(default=None, description="Name contains this text.")
    include_archived: bool = strawberry.field(
        default=False, description="Also return archived (soft-deleted) schools."
    )


@strawberry.input(description="Which programs to return; every given condition must hold.")
class ProgramFilter:
    codes: list[str] | None = strawberry.field(default=None, description="Any of these program codes.")
    categories: list[ProgramCategory] | None = strawberry.field(
        default=None, description="Any of these program types."
    )
    statuses: list[ProgramStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    fiscal_years: list[int] | None = strawberry.field(default=None, description="Any of these fiscal years.")
    school_codes: list[str] | None = strawberry.field(
        default=None, description="Run at any of these schools (by school code)."
    )
    districts: list[str] | None = strawberry.field(
        default=None, description="Run at a school in any of these districts."
    )
    levels: list[SchoolLevel] | None = strawberry.field(
        default=None, description="Run at a school of any of these levels."
    )
    city_wide: bool | None = strawberry.field(
        default=None, description="True: only city-wide programs (no school); false: only school programs."
    )
    name_contains: str | None = strawberry.field(default=None, description="Name contains this text.")
    include_archived: bool = strawberry.field(
        default=False, description="Also return archived (soft-deleted) programs."
    )


@strawberry.input(
    description="Which budget lines to list or sum; every condition must hold. Archived lines never count."
)
class BudgetFilter:
    fiscal_years: list[int] | None = strawberry.field(
        default=None, description="Any of these fiscal years (of the budget line)."
    )
    funders: list[Funder] | None = strawberry.field(default=None, description="Any of these funders.")
    categories: list[ProgramCategory] | None = strawberry.field(
        default=None, description="Lines of programs of any of these types."
    )
    program_codes: list[str] | None = strawberry.field(
        default=None, description="Lines of any of these programs (by program code)."
    )
    school_codes: list[str] | None = strawberry.field(
        default=None, description="Lines of programs run at any of these schools (by school code)."
    )
    districts: list[str] | None = strawberry.field(
        default=None, description="Lines of programs at schools in any of these districts."
    )
    levels: list[SchoolLevel] | None = strawberry.field(
        default=None, description="Lines of programs at schools of any of these levels."
    )
    program_name_contains: str | None = strawberry.field(
        default=None, description="Lines of programs whose name contains this text."
    )


def _any_of(conditions: dict[str, Any], path: str, values: list[Any] | None) -> None:
    if values:
        conditions[f"{path}__in"] = list(values)


def school_conditions(where: SchoolFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `School.filter(**...)`."""
    where = where or SchoolFilter()
    check_length(where.codes, model=SchoolRow, column="code", argument="codes")
    check_length(where.districts, model=SchoolRow, column="district", argument="districts")
    check_length(where.name_contains, model=SchoolRow, column="name", argument="nameContains")
    conditions: dict[str, Any] = {} if where.include_archived else {"archived_at__isnull": True}
    _any_of(conditions, "code", where.codes)
    _any_of(conditions, "level", where.levels)
    _any_of(conditions, "district", where.districts)
    if where.name_contains:
        conditions["name__icontains"] = where.name_contains
    return conditions


def program_conditions(where: ProgramFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `Program.filter(**...)`."""
    where = where or ProgramFilter()
    check_length(where.codes, model=ProgramRow, column="code", argument="codes")
    check_length(where.school_codes, model=SchoolRow, column="code", argument="schoolCodes")
    check_length(where.districts, model=SchoolRow, column="district", argument="districts")
    check_length(where.name_contains, model=ProgramRow, column="name", argument="nameContains")
    conditions: dict[str, Any] = {} if where.include_archived else {"archived_at__isnull": True}
    _any_of(conditions, "code", where.codes)
    _any_of(conditions, "category", where.categories)
    _any_of(conditions, "status", where.statuses)
    _any_of(conditions, "fiscal_year", where.fiscal_years)
    _any_of(conditions, "school__code", where.school_codes)
    _any_of(conditions, "school__district", where.districts)
    _any_of(conditions, "school__level", where.levels)
    if where.city_wide is not None:
        conditions["school_id__isnull"] = where.city_wide
    if where.name_contains:
        conditions["name__icontains"] = where.name_contains
    return conditions


def budget_conditions(where: BudgetFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `BudgetLine.filter(**...)`; archived lines and programs are left out."""
    where = where or BudgetFilter()
    check_length(where.program_codes, model=ProgramRow, column="code", argument="programCodes")
    check_length(where.school_codes, model=SchoolRow, column="code", argument="schoolCodes")
    check_length(where.districts, model=SchoolRow, column="district", argument="districts")
    check_length(where.program_name_contains, model=ProgramRow, column="name", argument="programNameContains")
    conditions: dict[str, Any] = {"archived_at__isnull": True, "program__archived_at__isnull": True}
    _any_of(conditions, "fiscal_year", where.fiscal_years)
    _any_of(conditions, "funder", where.funders)
    _any_of(conditions, "program__category", where.categories)
    _any_of(conditions, "program__code", where.program_codes)
    _any_of(conditions, "program__school__code", where.school_codes)
    _any_of(conditions, "program__school__district", where.districts)
    _any_of(conditions, "program__school__level", where.levels)
    if where.program_name_contains:
        conditions["program__name__icontains"] = where.program_name_contains
    return conditions
