"""Filter inputs and their translation to Tortoise filter keywords (all conditions must hold).

Each condition is declared where its input field is: `any_of(path, ...)` (a list meaning "any
of these"; an empty or absent list means no condition) or `contains(path, ...)`, with the
column it is compared with, so a string longer than that column is refused (`schema.bounds`),
never sent. What is not a plain condition (archived records, city-wide programs) stays written
out in each family's `*_conditions`.
"""

from __future__ import annotations

from typing import Any

import strawberry
from tortoise.expressions import Subquery
from tortoise.models import Model

from models.enums import BudgetStage, Funder, PartnerKind, ProgramCategory, ProgramStatus, SchoolLevel
from models.partner import Partner as PartnerRow
from models.partner import ProgramPartner as ProgramPartnerRow
from models.program import Program as ProgramRow
from models.school import School as SchoolRow
from schema.bounds import check_length
from schema.history import camel_case

Column = tuple[type[Model], str]  # the column a text argument is compared with
SCHOOL_CODE, SCHOOL_DISTRICT, SCHOOL_NAME = (SchoolRow, "code"), (SchoolRow, "district"), (SchoolRow, "name")
PROGRAM_CODE, PROGRAM_NAME = (ProgramRow, "code"), (ProgramRow, "name")
PARTNER_CODE, PARTNER_DISTRICT, PARTNER_NAME = (
    (PartnerRow, "code"),
    (PartnerRow, "district"),
    (PartnerRow, "name"),
)


def any_of(path: str, description: str, column: Column | None = None) -> Any:
    """An input field: the record's `path` is any of the given values."""
    return strawberry.field(default=None, description=description, metadata={"in": path, "column": column})


def contains(path: str, description: str, column: Column) -> Any:
    """An input field: the record's text at `path` contains the given text (any case)."""
    metadata = {"icontains": path, "column": column}
    return strawberry.field(default=None, description=description, metadata=metadata)


@strawberry.input(description="Which schools to return; every given condition must hold.")
class SchoolFilter:
    codes: list[str] | None = any_of("code", "Any of these school codes.", SCHOOL_CODE)
    levels: list[SchoolLevel] | None = any_of("level", "Any of these levels.")
    districts: list[str] | None = any_of(
        "district", "Any of these districts (권역), e.g. 미사.", SCHOOL_DISTRICT
    )
    name_contains: str | None = contains("name", "Name contains this text.", SCHOOL_NAME)
    include_archived: bool = strawberry.field(
        default=False, description="Also return archived (soft-deleted) schools."
    )


@strawberry.input(description="Which programs to return; every given condition must hold.")
class ProgramFilter:
    codes: list[str] | None = any_of("code", "Any of these program codes.", PROGRAM_CODE)
    categories: list[ProgramCategory] | None = any_of("category", "Any of these program types.")
    statuses: list[ProgramStatus] | None = any_of("status", "Any of these statuses.")
    fiscal_years: list[int] | None = any_of("fiscal_year", "Any of these fiscal years.")
    school_codes: list[str] | None = any_of(
        "school__code", "Run at any of these schools (by school code).", SCHOOL_CODE
    )
    districts: list[str] | None = any_of(
        "school__district", "Run at a school in any of these districts.", SCHOOL_DISTRICT
    )
    levels: list[SchoolLevel] | None = any_of("school__level", "Run at a school of any of these levels.")
    city_wide: bool | None = strawberry.field(
        default=None, description="True: only city-wide programs (no school); false: only school programs."
    )
    name_contains: str | None = contains("name", "Name contains this text.", PROGRAM_NAME)
    include_archived: bool = strawberry.field(
        default=False, description="Also return archived (soft-deleted) programs."
    )


@strawberry.input(description="Which partners (교육자원) to return; every given condition must hold.")
class PartnerFilter:
    codes: list[str] | None = any_of("code", "Any of these partner codes.", PARTNER_CODE)
    kinds: list[PartnerKind] | None = any_of("kind", "Any of these kinds.")
    districts: list[str] | None = any_of(
        "district", "Any of these districts (권역), e.g. 미사.", PARTNER_DISTRICT
    )
    program_codes: list[str] | None = strawberry.field(
        default=None, description="Taking part in any of these programs (by program code)."
    )
    name_contains: str | None = contains("name", "Name contains this text.", PARTNER_NAME)
    include_archived: bool = strawberry.field(
        default=False, description="Also return archived (soft-deleted) partners."
    )


@strawberry.input(
    description="Which budget lines to list or sum; every condition must hold. Archived lines never count."
)
class BudgetFilter:
    fiscal_years: list[int] | None = any_of("fiscal_year", "Any of these fiscal years (of the budget line).")
    funders: list[Funder] | None = any_of("funder", "Any of these funders.")
    stages: list[BudgetStage] | None = any_of("stage", "Any of these budget stages (단계).")
    categories: list[ProgramCategory] | None = any_of(
        "program__category", "Lines of programs of any of these types."
    )
    program_codes: list[str] | None = any_of(
        "program__code", "Lines of any of these programs (by program code).", PROGRAM_CODE
    )
    school_codes: list[str] | None = any_of(
        "program__school__code",
        "Lines of programs run at any of these schools (by school code).",
        SCHOOL_CODE,
    )
    districts: list[str] | None = any_of(
        "program__school__district",
        "Lines of programs at schools in any of these districts.",
        SCHOOL_DISTRICT,
    )
    levels: list[SchoolLevel] | None = any_of(
        "program__school__level", "Lines of programs at schools of any of these levels."
    )
    program_name_contains: str | None = contains(
        "program__name", "Lines of programs whose name contains this text.", PROGRAM_NAME
    )


def school_conditions(where: SchoolFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `School.filter(**...)`."""
    where = where or SchoolFilter()
    return _declared(where, {} if where.include_archived else {"archived_at__isnull": True})


def program_conditions(where: ProgramFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `Program.filter(**...)`."""
    where = where or ProgramFilter()
    conditions = _declared(where, {} if where.include_archived else {"archived_at__isnull": True})
    if where.city_wide is not None:
        conditions["school_id__isnull"] = where.city_wide
    return conditions


def partner_conditions(where: PartnerFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `Partner.filter(**...)`."""
    where = where or PartnerFilter()
    conditions = _declared(where, {} if where.include_archived else {"archived_at__isnull": True})
    check_length(where.program_codes, model=ProgramRow, column="code", argument="programCodes")
    if where.program_codes:
        # A subquery, not a join: a partner in two of the programs is still one row of the page.
        links = ProgramPartnerRow.filter(program__code__in=list(where.program_codes))
        conditions["id__in"] = Subquery(links.values("partner_id"))
    return conditions


def budget_conditions(where: BudgetFilter | None) -> dict[str, Any]:
    """Tortoise keywords for `BudgetLine.filter(**...)`; archived lines and programs are left out."""
    live = {"archived_at__isnull": True, "program__archived_at__isnull": True}
    return _declared(where or BudgetFilter(), live)


def _declared(where: object, conditions: dict[str, Any]) -> dict[str, Any]:
    """`conditions` plus one keyword for each declared condition of `where` that was given."""
    fields = where.__strawberry_definition__.fields  # type: ignore[attr-defined]
    for field in fields:
        for lookup in ("in", "icontains"):
            if lookup in field.metadata:
                _add(conditions, field.python_name, getattr(where, field.python_name), field.metadata, lookup)
    return conditions


def _add(conditions: dict[str, Any], name: str, value: Any, metadata: dict[str, Any], lookup: str) -> None:
    if metadata["column"] is not None:
        model, column = metadata["column"]
        check_length(value, model=model, column=column, argument=camel_case(name))
    if value:
        conditions[f"{metadata[lookup]}__{lookup}"] = list(value) if lookup == "in" else value
