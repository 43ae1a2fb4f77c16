"""Enumerations shared by the database, the API and the sheets.

Values are stable English identifiers; Korean labels are what people see in sheets and pages.
"""

from enum import StrEnum


class SchoolLevel(StrEnum):
    ELEMENTARY = "ELEMENTARY"
    MIDDLE = "MIDDLE"
    HIGH = "HIGH"
    SPECIAL = "SPECIAL"


class ProgramCategory(StrEnum):
    SCHOOL_SPECIALIZATION = "SCHOOL_SPECIALIZATION"
    HIGH_SCHOOL_SPECIALIZATION = "HIGH_SCHOOL_SPECIALIZATION"
    CAMPUS_TOUR = "CAMPUS_TOUR"
    CORPORATE_EXPERIENCE = "CORPORATE_EXPERIENCE"
    VILLAGE_EXPERIENCE_SCHOOL = "VILLAGE_EXPERIENCE_SCHOOL"
    SHARED_SCHOOL = "SHARED_SCHOOL"
    OTHER = "OTHER"


class ProgramStatus(StrEnum):
    PLANNED = "PLANNED"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class Funder(StrEnum):
    CITY = "CITY"
    OFFICE_OF_EDUCATION = "OFFICE_OF_EDUCATION"
    PROVINCE = "PROVINCE"
    OTHER = "OTHER"


class BudgetStage(StrEnum):
    """Where a budget line is in the Korean public budget cycle (계획 → 확정 → 교부 → 집행 → 정산)."""

    PLANNED = "PLANNED"
    AGREED = "AGREED"
    DISBURSED = "DISBURSED"
    EXECUTED = "EXECUTED"
    SETTLED = "SETTLED"


class PartnerKind(StrEnum):
    UNIVERSITY = "UNIVERSITY"
    COMPANY = "COMPANY"
    VILLAGE = "VILLAGE"
    INSTITUTION = "INSTITUTION"
    OTHER = "OTHER"


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    PARTNER = "partner"


class RecordType(StrEnum):
    SCHOOL = "School"
    PROGRAM = "Program"
    BUDGET_LINE = "BudgetLine"
    PARTNER = "Partner"
    PROGRAM_SESSION = "ProgramSession"
    FISCAL_YEAR_CLOSING = "FiscalYearClosing"
    AGREEMENT = "Agreement"
    SUPPLEMENTARY_AGREEMENT = "SupplementaryAgreement"
    ALLOCATION = "Allocation"


# Written through the API only: no sheet tab, so no sync cycle writes (or reverts) them.
UNSYNCED_RECORD_TYPES = frozenset(
    {
        RecordType.FISCAL_YEAR_CLOSING,
        RecordType.AGREEMENT,
        RecordType.SUPPLEMENTARY_AGREEMENT,
        RecordType.ALLOCATION,
    }
)


class ChangeAction(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    ARCHIVE = "ARCHIVE"
    RESTORE = "RESTORE"


class ActorKind(StrEnum):
    API_TOKEN = "API_TOKEN"  # noqa: S105 (an enum name, not a secret)
    SHEET_SYNC = "SHEET_SYNC"
    SYSTEM = "SYSTEM"


SCHOOL_LEVEL_LABELS: dict[SchoolLevel, str] = {
    SchoolLevel.ELEMENTARY: "초등학교",
    SchoolLevel.MIDDLE: "중학교",
    SchoolLevel.HIGH: "고등학교",
    SchoolLevel.SPECIAL: "특수학교",
}

PROGRAM_CATEGORY_LABELS: dict[ProgramCategory, str] = {
    ProgramCategory.SCHOOL_SPECIALIZATION: "학교특색",
    ProgramCategory.HIGH_SCHOOL_SPECIALIZATION: "고교특성화",
    ProgramCategory.CAMPUS_TOUR: "대학 캠퍼스 투어",
    ProgramCategory.CORPORATE_EXPERIENCE: "기업 체험",
    ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL: "마을체험학교",
    ProgramCategory.SHARED_SCHOOL: "경기공유학교",
    ProgramCategory.OTHER: "기타",
}

PROGRAM_STATUS_LABELS: dict[ProgramStatus, str] = {
    ProgramStatus.PLANNED: "계획",
    ProgramStatus.ACTIVE: "진행",
    ProgramStatus.COMPLETED: "완료",
    ProgramStatus.CANCELLED: "취소",
}

FUNDER_LABELS: dict[Funder, str] = {
    Funder.CITY: "하남시",
    Funder.OFFICE_OF_EDUCATION: "교육지원청",
    Funder.PROVINCE: "경기도교육청",
    Funder.OTHER: "기타",
}

PARTNER_KIND_LABELS: dict[PartnerKind, str] = {
    PartnerKind.UNIVERSITY: "대학",
    PartnerKind.COMPANY: "기업",
    PartnerKind.VILLAGE: "마을",
    PartnerKind.INSTITUTION: "기관",
    PartnerKind.OTHER: "기타",
}

BUDGET_STAGE_LABELS: dict[BudgetStage, str] = {
    BudgetStage.PLANNED: "계획",
    BudgetStage.AGREED: "확정",
    BudgetStage.DISBURSED: "교부",
    BudgetStage.EXECUTED: "집행",
    BudgetStage.SETTLED: "정산",
}
