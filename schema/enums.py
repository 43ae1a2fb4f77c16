"""GraphQL enums: the models' enums exposed as-is, with a description on every value.

The models' StrEnums are registered directly (no copy to keep in step); values keep their stable
English names and the descriptions carry the Korean label people see in sheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from models.enums import (
    BUDGET_STAGE_LABELS,
    FUNDER_LABELS,
    PARTNER_KIND_LABELS,
    PROGRAM_CATEGORY_LABELS,
    PROGRAM_STATUS_LABELS,
    SCHOOL_LEVEL_LABELS,
    ActorKind,
    BudgetStage,
    ChangeAction,
    Funder,
    PartnerKind,
    ProgramCategory,
    ProgramStatus,
    RecordType,
    Role,
    SchoolLevel,
)

E = TypeVar("E", bound=StrEnum)


def _described(cls: type[Enum], description: str, values: Mapping[str, str]) -> None:
    strawberry.enum(cls, description=description)
    definition: StrawberryEnumDefinition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = values[value.name]


def _labelled(labels: Mapping[E, str]) -> dict[str, str]:
    return {
        member.name: f"{label} ({member.name.lower().replace('_', ' ')})" for member, label in labels.items()
    }


_described(SchoolLevel, "School level (학교급).", _labelled(SCHOOL_LEVEL_LABELS))
_described(
    ProgramCategory, "Program type under the Hanam agreement (사업 유형).", _labelled(PROGRAM_CATEGORY_LABELS)
)
_described(ProgramStatus, "Where a program stands (상태).", _labelled(PROGRAM_STATUS_LABELS))
_described(Funder, "Who pays a budget line (재원).", _labelled(FUNDER_LABELS))
_described(
    BudgetStage, "Stage of a budget line (단계) in the public budget cycle.", _labelled(BUDGET_STAGE_LABELS)
)
_described(PartnerKind, "Kind of local education resource (교육자원 유형).", _labelled(PARTNER_KIND_LABELS))
_described(
    RecordType,
    "Kind of record a change event or conflict is about.",
    {
        "SCHOOL": "A school (학교).",
        "PROGRAM": "A program (사업).",
        "BUDGET_LINE": "A budget line (예산).",
        "PARTNER": "A partner, a local education resource (교육자원).",
        "PROGRAM_SESSION": "A session a program held (운영 실적).",
        "FISCAL_YEAR_CLOSING": "A fiscal year was closed (연도 마감).",
        "AGREEMENT": "An agreement (업무협약).",
        "SUPPLEMENTARY_AGREEMENT": "A working-level supplementary agreement (실무 협약).",
        "ALLOCATION": "An allocation a supplementary agreement fixed (배정).",
    },
)
_described(
    ChangeAction,
    "What a change did to its record.",
    {
        "CREATE": "The record was created (생성).",
        "UPDATE": "Fields changed (수정).",
        "ARCHIVE": "The record was archived, the soft delete (보관).",
        "RESTORE": "An archived record came back (복원).",
    },
)
_described(
    ActorKind,
    "Who or what made a change.",
    {
        "API_TOKEN": "A person or system using an API token; the actor name is the token's name.",
        "SHEET_SYNC": "The Google Sheets sync (a staff edit in the shared sheet).",
        "SYSTEM": "The system itself (sample data, command line).",
    },
)
_described(
    Role,
    "What an API token may do.",
    {
        "ADMIN": "Reads and writes everything, resolves conflicts.",
        "STAFF": "Reads and writes everything, resolves conflicts.",
        "PARTNER": "Reads everything, writes nothing.",
    },
)


class BudgetDimension(StrEnum):
    SCHOOL = "SCHOOL"
    PROGRAM = "PROGRAM"
    CATEGORY = "CATEGORY"
    FUNDER = "FUNDER"
    FISCAL_YEAR = "FISCAL_YEAR"
    DISTRICT = "DISTRICT"
    LEVEL = "LEVEL"
    PARTNER_KIND = "PARTNER_KIND"


class ActivityDimension(StrEnum):
    """The `BudgetDimension`s sessions can be grouped by: all but FUNDER (a session has none)."""

    SCHOOL = "SCHOOL"
    PROGRAM = "PROGRAM"
    CATEGORY = "CATEGORY"
    FISCAL_YEAR = "FISCAL_YEAR"
    DISTRICT = "DISTRICT"
    LEVEL = "LEVEL"
    PARTNER_KIND = "PARTNER_KIND"


class ConflictSide(StrEnum):
    SHEET = "SHEET"
    DATABASE = "DATABASE"


class SortDirection(StrEnum):
    ASC = "ASC"
    DESC = "DESC"


_described(
    BudgetDimension,
    "A dimension budget figures can be grouped by.",
    {
        "SCHOOL": "Per school (학교); city-wide programs form one group without a school.",
        "PROGRAM": "Per program (사업).",
        "CATEGORY": "Per program type (사업 유형).",
        "FUNDER": "Per funder (재원).",
        "FISCAL_YEAR": "Per fiscal year of the budget line (연도).",
        "DISTRICT": "Per district of the program's school (권역).",
        "LEVEL": "Per level of the program's school (학교급).",
        "PARTNER_KIND": "Per kind of the program's live partners (교육자원 유형). A line counts once "
        "toward every kind its program's partners have (a program with a university and two "
        "companies counts in 대학 and in 기업, once each), and in one group without a kind "
        "(없음) when the program has no live partner; so these groups can add up to more than "
        "the total.",
    },
)
_described(
    ActivityDimension,
    "A dimension session figures (activitySummary) can be grouped by; named as in BudgetDimension.",
    {
        "SCHOOL": "Per school of the program (학교); city-wide programs form one group without a school.",
        "PROGRAM": "Per program (사업).",
        "CATEGORY": "Per program type (사업 유형).",
        "FISCAL_YEAR": "Per fiscal year of the program (연도).",
        "DISTRICT": "Per district of the program's school (권역).",
        "LEVEL": "Per level of the program's school (학교급).",
        "PARTNER_KIND": "Per kind of the partner that hosted the session (교육자원 유형); sessions without "
        "a partner form one group (없음). A program's executed counts in every kind it hosted.",
    },
)
_described(
    ConflictSide,
    "Which side wins when a sync conflict is resolved.",
    {
        "SHEET": "Keep the value typed in the Google Sheet (시트).",
        "DATABASE": "Keep the value held in the database (데이터베이스).",
    },
)
_described(SortDirection, "Sort direction.", {"ASC": "Smallest first.", "DESC": "Largest first."})
