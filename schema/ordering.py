"""Ordering inputs: a list of (field, direction) pairs, always ending on the id for stable pages."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from schema.enums import SortDirection, _described


class SchoolOrderField(StrEnum):
    CODE = "code"
    NAME = "name"
    LEVEL = "level"
    DISTRICT = "district"
    STUDENTS = "students"
    UPDATED_AT = "updated_at"


class ProgramOrderField(StrEnum):
    CODE = "code"
    NAME = "name"
    CATEGORY = "category"
    STATUS = "status"
    FISCAL_YEAR = "fiscal_year"
    UPDATED_AT = "updated_at"


class BudgetLineOrderField(StrEnum):
    ID = "id"
    FISCAL_YEAR = "fiscal_year"
    FUNDER = "funder"
    ALLOCATED = "allocated"
    EXECUTED = "executed"
    UPDATED_AT = "updated_at"


class PartnerOrderField(StrEnum):
    CODE = "code"
    NAME = "name"
    KIND = "kind"
    DISTRICT = "district"
    UPDATED_AT = "updated_at"


class ProgramSessionOrderField(StrEnum):
    HELD_ON = "held_on"
    ID = "id"
    HOURS = "hours"
    UPDATED_AT = "updated_at"


class AgreementOrderField(StrEnum):
    CODE = "code"
    TERM_START = "term_start"
    SIGNED_ON = "signed_on"
    UPDATED_AT = "updated_at"


class SupplementaryAgreementOrderField(StrEnum):
    CODE = "code"
    SIGNED_ON = "signed_on"
    UPDATED_AT = "updated_at"


class AllocationOrderField(StrEnum):
    FISCAL_YEAR = "fiscal_year"
    ID = "id"
    TOTAL = "total"
    UPDATED_AT = "updated_at"


def _field_descriptions(cls: type[StrEnum]) -> dict[str, str]:
    return {member.name: f"Order by {member.name.lower().replace('_', ' ')}." for member in cls}


_described(SchoolOrderField, "A field schools can be ordered by.", _field_descriptions(SchoolOrderField))
_described(ProgramOrderField, "A field programs can be ordered by.", _field_descriptions(ProgramOrderField))
_described(PartnerOrderField, "A field partners can be ordered by.", _field_descriptions(PartnerOrderField))
_described(
    ProgramSessionOrderField,
    "A field program sessions can be ordered by.",
    _field_descriptions(ProgramSessionOrderField),
)
_described(
    BudgetLineOrderField, "A field budget lines can be ordered by.", _field_descriptions(BudgetLineOrderField)
)


@strawberry.input(description="One ordering key for schools.")
class SchoolOrder:
    field: SchoolOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


@strawberry.input(description="One ordering key for programs.")
class ProgramOrder:
    field: ProgramOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


@strawberry.input(description="One ordering key for budget lines.")
class BudgetLineOrder:
    field: BudgetLineOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


@strawberry.input(description="One ordering key for partners.")
class PartnerOrder:
    field: PartnerOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


@strawberry.input(description="One ordering key for program sessions.")
class ProgramSessionOrder:
    field: ProgramSessionOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


_described(
    AgreementOrderField, "A field agreements can be ordered by.", _field_descriptions(AgreementOrderField)
)
_described(
    SupplementaryAgreementOrderField,
    "A field supplementary agreements can be ordered by.",
    _field_descriptions(SupplementaryAgreementOrderField),
)
_described(
    AllocationOrderField, "A field allocations can be ordered by.", _field_descriptions(AllocationOrderField)
)


@strawberry.input(description="One ordering key for agreements.")
class AgreementOrder:
    field: AgreementOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


@strawberry.input(description="One ordering key for supplementary agreements.")
class SupplementaryAgreementOrder:
    field: SupplementaryAgreementOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


@strawberry.input(description="One ordering key for allocations.")
class AllocationOrder:
    field: AllocationOrderField = strawberry.field(description="The field to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


def order_terms(
    keys: list[SchoolOrder]
    | list[ProgramOrder]
    | list[BudgetLineOrder]
    | list[PartnerOrder]
    | list[ProgramSessionOrder]
    | list[AgreementOrder]
    | list[SupplementaryAgreementOrder]
    | list[AllocationOrder]
    | None,
    default: str,
) -> list[str]:
    """Tortoise `order_by` terms for `keys` (or `default`), ending with the id as a tie-breaker."""
    terms = [("-" if key.direction is SortDirection.DESC else "") + key.field.value for key in keys or []]
    if not terms:
        terms = [default]
    if not any(term.lstrip("-") == "id" for term in terms):
        terms.append("id")
    return terms
