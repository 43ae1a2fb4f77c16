"""Korean words for what a report names: dimensions, their code columns, conditions, enum values.

Shared by every summary: a dimension or condition missing here is shown by its API name rather
than failing, so a new summary works before its words are added.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from models.enums import (
    FUNDER_LABELS,
    PARTNER_KIND_LABELS,
    PROGRAM_CATEGORY_LABELS,
    PROGRAM_STATUS_LABELS,
    SCHOOL_LEVEL_LABELS,
    Role,
)

DIMENSION_HEADERS: dict[str, str] = {
    "SCHOOL": "학교",
    "PROGRAM": "사업",
    "CATEGORY": "사업 유형",
    "FUNDER": "재원",
    "FISCAL_YEAR": "연도",
    "DISTRICT": "권역",
    "LEVEL": "학교급",
    "PARTNER": "교육자원",
    "PARTNER_KIND": "교육자원 유형",
}

# Dimensions whose key is a code worth its own column: (code header, name header).
CODE_HEADERS: dict[str, tuple[str, str]] = {
    "SCHOOL": ("학교코드", "학교명"),
    "PROGRAM": ("사업코드", "사업명"),
    "PARTNER": ("기관코드", "기관명"),
}

CONDITION_LABELS: dict[str, str] = {
    "fiscalYears": "연도",
    "funders": "재원",
    "categories": "사업 유형",
    "programCodes": "사업코드",
    "schoolCodes": "학교코드",
    "districts": "권역",
    "levels": "학교급",
    "programNameContains": "사업명에 포함",
    "partnerCodes": "기관코드",
    "partnerKinds": "교육자원 유형",
    "heldFrom": "운영일(부터)",
    "heldTo": "운영일(까지)",
    "includeArchived": "보관 포함",
}


# By the GraphQL enum's name: how a condition's values read.
E = TypeVar("E", bound=StrEnum)


def _by_value(table: Mapping[E, str]) -> dict[str, str]:
    return {str(value): label for value, label in table.items()}


ENUM_VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "Funder": _by_value(FUNDER_LABELS),
    "ProgramCategory": _by_value(PROGRAM_CATEGORY_LABELS),
    "ProgramStatus": _by_value(PROGRAM_STATUS_LABELS),
    "SchoolLevel": _by_value(SCHOOL_LEVEL_LABELS),
    "PartnerKind": _by_value(PARTNER_KIND_LABELS),
}

ROLE_LABELS: dict[Role, str] = {Role.PARTNER: "파트너", Role.STAFF: "직원", Role.ADMIN: "관리자"}


def dimension_header(dimension: str) -> str:
    return DIMENSION_HEADERS.get(dimension, dimension)


def condition_label(name: str) -> str:
    return CONDITION_LABELS.get(name, name)


def value_label(type_name: str, value: object) -> str:
    """A condition's value as people read it, e.g. Funder CITY -> 하남시, a year -> 2025."""
    if isinstance(value, bool):
        return "예" if value else "아니오"
    text = str(value)
    return ENUM_VALUE_LABELS.get(type_name, {}).get(text, text)
