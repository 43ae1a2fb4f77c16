"""About 400 invented program sessions (운영 실적) over the sample's first fiscal year.

SAMPLE DATA, invented and marked so: every session's note starts with "(예시)". Counts by
school level only, as real ones are: the sample never holds a student's name or number.
Reproducible: a fixed seed, and the programs and partner links `sample_data` made.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from models.enums import ProgramCategory, ProgramStatus, SchoolLevel
from models.services.program_sessions import SessionFields
from models.services.programs import ProgramFields
from models.services.schools import SchoolFields

SEED = 20250302
YEAR = 2025
SCHOOL_DAYS = (date(YEAR, 3, 4), date(YEAR, 12, 19))  # the Korean school year's two terms, roughly
# Sessions per program over the year, by category: tours are a few big days, clubs meet often.
SESSIONS_PER_PROGRAM: dict[ProgramCategory, tuple[int, int]] = {
    ProgramCategory.SCHOOL_SPECIALIZATION: (2, 6),
    ProgramCategory.HIGH_SCHOOL_SPECIALIZATION: (4, 8),
    ProgramCategory.CAMPUS_TOUR: (6, 10),
    ProgramCategory.CORPORATE_EXPERIENCE: (6, 10),
    ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL: (7, 12),
    ProgramCategory.SHARED_SCHOOL: (8, 14),
    ProgramCategory.OTHER: (1, 1),
}
LEVEL_FIELD = {
    SchoolLevel.ELEMENTARY: "elementary",
    SchoolLevel.MIDDLE: "middle",
    SchoolLevel.HIGH: "high",
    SchoolLevel.SPECIAL: "special",
}
PLACES = ("시청 대회의실(예시)", "하남시 교육지원센터(예시)", "학교 강당", "학교 과학실", "미사 체육관(예시)")


def sample_sessions(
    programs: list[ProgramFields], schools: list[SchoolFields], links: dict[str, list[str]]
) -> list[SessionFields]:
    """Sessions of the first year's programs that were not cancelled; `links`: program -> partners."""
    rng = random.Random(SEED)
    levels = {school["code"]: school["level"] for school in schools}
    rows: list[SessionFields] = []
    for program in programs:
        if program["fiscal_year"] != YEAR or program["status"] is ProgramStatus.CANCELLED:
            continue
        low, high = SESSIONS_PER_PROGRAM[program["category"]]
        hosts = links.get(program["code"], [])
        school_code = program.get("school_code")
        for _ in range(rng.randint(low, high)):
            rows.append(_session(rng, program["code"], levels.get(school_code or ""), hosts))
    rows.sort(key=lambda row: (row["held_on"], row["program_code"]))
    return rows


def _session(rng: random.Random, code: str, level: SchoolLevel | None, hosts: list[str]) -> SessionFields:
    first, last = SCHOOL_DAYS
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    while day.weekday() >= 5 or date(YEAR, 7, 25) <= day <= date(YEAR, 8, 17):  # school days only
        day += timedelta(days=1)
    host = rng.choice(hosts) if hosts and rng.random() < 0.8 else None
    row: SessionFields = {
        "program_code": code,
        "held_on": day,
        "place": "" if host else rng.choice(PLACES),
        "partner_code": host,
        "hours": Decimal(rng.choice(("1.0", "1.5", "2.0", "2.0", "3.0", "4.0"))),
        "note": "(예시) 가상의 운영 실적",
    }
    if level is not None:  # a school's own program: its pupils, now and then a few from a special class
        row[LEVEL_FIELD[level]] = rng.randint(12, 60)  # type: ignore[literal-required]
        if rng.random() < 0.1:
            row["special"] = row.get("special", 0) + rng.randint(1, 4)
    else:  # city-wide: pupils of several levels
        row["elementary"] = rng.choice((0, rng.randint(5, 30)))
        row["middle"] = rng.randint(5, 35)
        row["high"] = rng.choice((0, rng.randint(3, 25)))
        row["special"] = rng.choice((0, 0, 0, rng.randint(1, 5)))
    return row
