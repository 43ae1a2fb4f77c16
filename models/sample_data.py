"""A realistic, reproducible Hanam sample (schools, programs, budget lines, partners, sessions).

SAMPLE DATA: names follow Hanam's real districts and the agreement's program types, but the
schools' codes, enrolments and every amount are invented. The partners (교육자원) are invented
outright and say so: every name ends in "(예시)", phones use the unassigned 031-000 exchange,
e-mails and homepages the reserved example.org domain. The sessions (운영 실적) of the first
year are invented too, and their notes start with "(예시)" (`models.sample_sessions`). The
agreement, its supplementary agreements and their allocations are invented and say so in their
titles and notes (`models.sample_agreements`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from models.actor import SYSTEM_ACTOR
from models.enums import BudgetStage, Funder, PartnerKind, ProgramCategory, ProgramStatus, SchoolLevel
from models.sample_agreements import AGREEMENT, sample_allocations, sample_supplements
from models.sample_partners import MORE_PARTNERS
from models.sample_sessions import sample_sessions
from models.school import School
from models.services import (
    agreements,
    allocations,
    budget_lines,
    carry_over,
    partners,
    program_partners,
    program_sessions,
    programs,
    schools,
    supplementary_agreements,
)
from models.services.budget_lines import BudgetLineFields
from models.services.partners import PartnerFields
from models.services.programs import ProgramFields
from models.services.schools import SchoolFields
from models.services.write_scope import write_scope

SEED = 20250301
FISCAL_YEARS = (2025, 2026)

# (name, level, district): Hanam's districts, school names in the style the city uses.
SCHOOLS: list[tuple[str, SchoolLevel, str]] = [
    ("하남초등학교", SchoolLevel.ELEMENTARY, "신장"),
    ("신장초등학교", SchoolLevel.ELEMENTARY, "신장"),
    ("덕풍초등학교", SchoolLevel.ELEMENTARY, "덕풍"),
    ("풍산초등학교", SchoolLevel.ELEMENTARY, "덕풍"),
    ("천현초등학교", SchoolLevel.ELEMENTARY, "신장"),
    ("남한산초등학교", SchoolLevel.ELEMENTARY, "신장"),
    ("미사초등학교", SchoolLevel.ELEMENTARY, "미사"),
    ("미사강변초등학교", SchoolLevel.ELEMENTARY, "미사"),
    ("미사중앙초등학교", SchoolLevel.ELEMENTARY, "미사"),
    ("미사숲초등학교", SchoolLevel.ELEMENTARY, "미사"),
    ("미사한강초등학교", SchoolLevel.ELEMENTARY, "미사"),
    ("망월초등학교", SchoolLevel.ELEMENTARY, "미사"),
    ("위례초등학교", SchoolLevel.ELEMENTARY, "위례"),
    ("위례한빛초등학교", SchoolLevel.ELEMENTARY, "위례"),
    ("위례별초등학교", SchoolLevel.ELEMENTARY, "위례"),
    ("위례푸른초등학교", SchoolLevel.ELEMENTARY, "위례"),
    ("감일초등학교", SchoolLevel.ELEMENTARY, "감일"),
    ("감일숲초등학교", SchoolLevel.ELEMENTARY, "감일"),
    ("감일푸른초등학교", SchoolLevel.ELEMENTARY, "감일"),
    ("창우초등학교", SchoolLevel.ELEMENTARY, "덕풍"),
    ("하남중학교", SchoolLevel.MIDDLE, "신장"),
    ("신장중학교", SchoolLevel.MIDDLE, "신장"),
    ("덕풍중학교", SchoolLevel.MIDDLE, "덕풍"),
    ("동부중학교", SchoolLevel.MIDDLE, "덕풍"),
    ("미사중학교", SchoolLevel.MIDDLE, "미사"),
    ("미사강변중학교", SchoolLevel.MIDDLE, "미사"),
    ("망월중학교", SchoolLevel.MIDDLE, "미사"),
    ("위례중학교", SchoolLevel.MIDDLE, "위례"),
    ("위례한빛중학교", SchoolLevel.MIDDLE, "위례"),
    ("감일중학교", SchoolLevel.MIDDLE, "감일"),
    ("남한중학교", SchoolLevel.MIDDLE, "신장"),
    ("하남고등학교", SchoolLevel.HIGH, "신장"),
    ("남한고등학교", SchoolLevel.HIGH, "신장"),
    ("신장고등학교", SchoolLevel.HIGH, "신장"),
    ("하남경영고등학교", SchoolLevel.HIGH, "덕풍"),
    ("미사강변고등학교", SchoolLevel.HIGH, "미사"),
    ("미사고등학교", SchoolLevel.HIGH, "미사"),
    ("위례고등학교", SchoolLevel.HIGH, "위례"),
    ("감일고등학교", SchoolLevel.HIGH, "감일"),
    ("하남새봄학교", SchoolLevel.SPECIAL, "감일"),
]

STUDENTS_RANGE: dict[SchoolLevel, tuple[int, int]] = {
    SchoolLevel.ELEMENTARY: (420, 1450),
    SchoolLevel.MIDDLE: (380, 1100),
    SchoolLevel.HIGH: (450, 1000),
    SchoolLevel.SPECIAL: (60, 160),
}

SCHOOL_THEMES = [
    "생태환경 교육",
    "AI·코딩 교실",
    "독서 토론",
    "세계시민 교육",
    "예술 융합 수업",
    "스포츠클럽",
]
HIGH_SCHOOL_TRACKS = ["AI 융합 과정", "바이오 헬스 과정", "미디어 콘텐츠 과정", "고교학점제 진로 설계"]
CAMPUS_TOURS = ["서울대학교", "연세대학교", "한양대학교", "KAIST", "경희대학교", "가천대학교", "건국대학교"]
COMPANIES = [
    "하남 데이터센터",
    "스타필드 하남",
    "하남 바이오 기업",
    "미사 스마트팜",
    "지역 방송국",
    "하남시청",
]
VILLAGE_THEMES = [
    "검단산 생태 탐방",
    "미사 조정 체험",
    "덕풍 전통시장 경제교실",
    "나룻배 역사 여행",
    "위례 목공 공방",
]
SHARED_SCHOOL_COURSES = [
    "드론 교실",
    "메이커 스페이스",
    "청소년 오케스트라",
    "영상 제작",
    "로봇 공학",
    "진로 탐색 캠프",
]

# (code, name, kind, district, program category it serves, role there): invented, see above.
PARTNERS: list[tuple[str, str, PartnerKind, str, ProgramCategory, str]] = [
    (
        "EX-UNI-01",
        "한강미래대학교(예시)",
        PartnerKind.UNIVERSITY,
        "",
        ProgramCategory.CAMPUS_TOUR,
        "캠퍼스 투어 운영",
    ),
    (
        "EX-UNI-02",
        "검단과학기술원(예시)",
        PartnerKind.UNIVERSITY,
        "",
        ProgramCategory.CAMPUS_TOUR,
        "전공 체험 강의",
    ),
    (
        "EX-COM-01",
        "미사데이터(예시)",
        PartnerKind.COMPANY,
        "미사",
        ProgramCategory.CORPORATE_EXPERIENCE,
        "현장 견학",
    ),
    (
        "EX-COM-02",
        "위례바이오랩(예시)",
        PartnerKind.COMPANY,
        "위례",
        ProgramCategory.CORPORATE_EXPERIENCE,
        "직무 멘토링",
    ),
    (
        "EX-COM-03",
        "덕풍스마트팜(예시)",
        PartnerKind.COMPANY,
        "덕풍",
        ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL,
        "체험 장소 제공",
    ),
    (
        "EX-VIL-01",
        "신장마을공동체(예시)",
        PartnerKind.VILLAGE,
        "신장",
        ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL,
        "마을 강사 파견",
    ),
    (
        "EX-VIL-02",
        "감일생태마을(예시)",
        PartnerKind.VILLAGE,
        "감일",
        ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL,
        "생태 탐방 안내",
    ),
    (
        "EX-INS-01",
        "하남청소년수련원(예시)",
        PartnerKind.INSTITUTION,
        "신장",
        ProgramCategory.SHARED_SCHOOL,
        "공간 제공",
    ),
    (
        "EX-INS-02",
        "미사도서관(예시)",
        PartnerKind.INSTITUTION,
        "미사",
        ProgramCategory.SHARED_SCHOOL,
        "강좌 공동 운영",
    ),
    (
        "EX-OTH-01",
        "하남메이커협동조합(예시)",
        PartnerKind.OTHER,
        "덕풍",
        ProgramCategory.SHARED_SCHOOL,
        "장비 대여",
    ),
    *MORE_PARTNERS,  # twenty more, as invented (`models.sample_partners`)
]


@dataclass(frozen=True)
class SampleCounts:
    schools: int
    programs: int
    budget_lines: int
    partners: int = 0
    sessions: int = 0
    allocations: int = 0


async def load_sample_data() -> SampleCounts:
    """Load the sample into an empty database through the service layer (one transaction).

    Does nothing when any school exists, so it is safe on every start.
    """
    if await School.exists():
        return SampleCounts(0, 0, 0)
    rng = random.Random(SEED)
    school_rows = _schools(rng)
    program_rows = _programs(rng, school_rows)
    line_rows = _budget_lines(rng, program_rows)
    async with write_scope(SYSTEM_ACTOR) as scope:
        for school in school_rows:
            await schools.create(scope, school)
        for program in program_rows:
            await programs.create(scope, program)
        for line in line_rows:
            created = await budget_lines.create(scope, line)
            if _settled_already(line):
                await carry_over.carry_over(scope, created.pk, 0)
        links: dict[str, list[str]] = {}
        for number, (fields, served, role) in enumerate(_partners()):
            partner = await partners.create(scope, fields)
            for program in program_rows:
                # Every second program of the category it serves (the first ten partners) or
                # every fourth (the twenty more), so some have none (없음).
                sequence = int(program["code"][-3:])
                if program["category"] is served and sequence % (2 if number < 10 else 4) == 1:
                    await program_partners.link(scope, partner, program["code"], role)
                    links.setdefault(program["code"], []).append(fields["code"])
        session_rows = sample_sessions(program_rows, school_rows, links)
        for session in session_rows:
            await program_sessions.create(scope, session)
        await agreements.create(scope, AGREEMENT)
        for supplement in sample_supplements():
            await supplementary_agreements.create(scope, supplement)
        allocation_rows = sample_allocations(line_rows)
        for allocation in allocation_rows:
            await allocations.set_allocation(scope, allocation)
    return SampleCounts(
        len(school_rows),
        len(program_rows),
        len(line_rows),
        len(PARTNERS),
        len(session_rows),
        len(allocation_rows),
    )


def _partners() -> list[tuple[PartnerFields, ProgramCategory, str]]:
    rows: list[tuple[PartnerFields, ProgramCategory, str]] = []
    for number, (code, name, kind, district, served, role) in enumerate(PARTNERS, start=1):
        fields: PartnerFields = {
            "code": code,
            "name": name,
            "kind": kind,
            "district": district,
            "phone": f"031-000-{number:04d}",
            "email": f"contact{number}@example.org",
            "homepage": f"https://example.org/partner/{code.lower()}",
        }
        rows.append((fields, served, role))
    return rows


def _schools(rng: random.Random) -> list[SchoolFields]:
    rows: list[SchoolFields] = []
    for number, (name, level, district) in enumerate(SCHOOLS, start=1):
        low, high = STUDENTS_RANGE[level]
        rows.append(
            {
                "code": f"J{7530100 + number * 7:07d}",
                "name": name,
                "level": level,
                "district": district,
                "students": rng.randint(low, high),
            }
        )
    return rows


def _programs(rng: random.Random, school_rows: list[SchoolFields]) -> list[ProgramFields]:
    rows: list[ProgramFields] = []

    def add(category: ProgramCategory, name: str, school: SchoolFields | None, year: int) -> None:
        prefix = {
            ProgramCategory.SCHOOL_SPECIALIZATION: "SS",
            ProgramCategory.HIGH_SCHOOL_SPECIALIZATION: "HS",
            ProgramCategory.CAMPUS_TOUR: "CT",
            ProgramCategory.CORPORATE_EXPERIENCE: "CE",
            ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL: "VE",
            ProgramCategory.SHARED_SCHOOL: "GS",
            ProgramCategory.OTHER: "OT",
        }[category]
        sequence = sum(1 for row in rows if row["code"].startswith(f"HN{year}-{prefix}")) + 1
        rows.append(
            {
                "code": f"HN{year}-{prefix}-{sequence:03d}",
                "name": name,
                "category": category,
                "school_code": school["code"] if school else None,
                "fiscal_year": year,
                "status": _status(rng, year),
                "description": f"{name} ({'하남시 전체' if school is None else school['name']})",
            }
        )

    for year in FISCAL_YEARS:
        for school in school_rows:
            short = school["name"].removesuffix("등학교").removesuffix("학교")
            if school["level"] is SchoolLevel.HIGH:
                add(
                    ProgramCategory.HIGH_SCHOOL_SPECIALIZATION,
                    f"{short} {rng.choice(HIGH_SCHOOL_TRACKS)}",
                    school,
                    year,
                )
            else:
                themes = rng.sample(SCHOOL_THEMES, k=2 if rng.random() < 0.2 else 1)
                for theme in themes:
                    add(ProgramCategory.SCHOOL_SPECIALIZATION, f"{short} {theme}", school, year)
        for university in CAMPUS_TOURS:
            add(ProgramCategory.CAMPUS_TOUR, f"대학 캠퍼스 투어 - {university}", None, year)
        for company in COMPANIES:
            add(ProgramCategory.CORPORATE_EXPERIENCE, f"기업 체험 - {company}", None, year)
        for theme in VILLAGE_THEMES:
            add(ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL, f"마을체험학교 - {theme}", None, year)
        for course in SHARED_SCHOOL_COURSES:
            add(ProgramCategory.SHARED_SCHOOL, f"경기공유학교 - {course}", None, year)
        add(ProgramCategory.OTHER, f"{year} 교육협력 성과 공유회", None, year)
    return rows


def _status(rng: random.Random, year: int) -> ProgramStatus:
    if year == FISCAL_YEARS[0]:
        return ProgramStatus.COMPLETED if rng.random() < 0.85 else ProgramStatus.CANCELLED
    return ProgramStatus.ACTIVE if rng.random() < 0.7 else ProgramStatus.PLANNED


def _budget_lines(rng: random.Random, program_rows: list[ProgramFields]) -> list[BudgetLineFields]:
    rows: list[BudgetLineFields] = []
    for program in program_rows:
        year = program["fiscal_year"]
        funders = [Funder.CITY, Funder.OFFICE_OF_EDUCATION]
        funders += rng.sample([Funder.PROVINCE, Funder.OTHER, Funder.CITY], k=rng.randint(1, 3))
        for funder in funders:
            # Amounts in whole won, rounded to 10,000 won as budget documents are.
            allocated = rng.randint(100, 6000) * 10_000
            share = rng.uniform(0.55, 1.0) if year == FISCAL_YEARS[0] else rng.uniform(0.0, 0.6)
            if program["status"] is ProgramStatus.CANCELLED:
                share = 0.0
            executed = int(allocated * share) // 1000 * 1000
            note = "" if rng.random() < 0.8 else rng.choice(["추경 반영", "이월 예정", "정산 중"])
            rows.append(
                {
                    "program_code": program["code"],
                    "fiscal_year": year,
                    "funder": funder,
                    "allocated": allocated,
                    "executed": executed,
                    "note": note,
                    **_stage_of(year, program["status"], allocated, executed, note),
                }
            )
    return rows


def _stage_of(year: int, status: ProgramStatus, allocated: int, executed: int, note: str) -> BudgetLineFields:
    """Stage, 교부액 and 이월액 from the figures already drawn (no more draws: the rest of the
    sample stays as it was). The past year is executed, some of it to be carried over; the
    current one agreed or disbursed, partly spent."""
    if year == FISCAL_YEARS[0]:
        unspent = allocated - executed
        carry = unspent // 2 if note == "이월 예정" else unspent // 3 if (allocated // 10_000) % 6 == 0 else 0
        stage = BudgetStage.EXECUTED if executed else BudgetStage.AGREED
        return {
            "stage": stage,
            "disbursed": allocated if executed else 0,
            "carried_out": carry // 10_000 * 10_000,
        }
    if executed:
        disbursed = max(executed, allocated // 2 // 10_000 * 10_000)
        stage = BudgetStage.EXECUTED if executed * 4 > allocated else BudgetStage.DISBURSED
        return {"stage": stage, "disbursed": disbursed}
    return {"stage": BudgetStage.AGREED if status is ProgramStatus.ACTIVE else BudgetStage.PLANNED}


def _settled_already(line: BudgetLineFields) -> bool:
    """Past-year lines settled one by one before the year is closed: all unused, nothing carried."""
    return (
        line["fiscal_year"] == FISCAL_YEARS[0]
        and not line.get("carried_out")
        and line.get("executed", 0) > 0
        and (line["allocated"] // 10_000) % 9 == 0
    )
