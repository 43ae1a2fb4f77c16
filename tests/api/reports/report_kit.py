"""Report test kit: a small world whose amounts test the 천원 rounding, and a workbook read back.

The amounts are chosen on the rounding edges: 1,234,500원 is 1,234.5천원 (rounds up to 1,235),
2,000,499원 is 2,000.499천원 (rounds down to 2,000), 500원 rounds up to 1천원.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from models.actor import SYSTEM_ACTOR
from models.enums import Funder, ProgramCategory, SchoolLevel
from models.services import budget_lines, programs, schools
from models.services.write_scope import write_scope

# (program code, school code or None, category, year, [(funder, allocated, executed)])
PROGRAMS: list[tuple[str, str | None, ProgramCategory, int, list[tuple[Funder, int, int]]]] = [
    (
        "RP-TOUR",
        "R0001",
        ProgramCategory.CAMPUS_TOUR,
        2025,
        [(Funder.CITY, 1_234_500, 1_000_499), (Funder.OFFICE_OF_EDUCATION, 2_000_499, 500)],
    ),
    ("RP-SHARED", None, ProgramCategory.SHARED_SCHOOL, 2025, [(Funder.CITY, 10_000_000, 0)]),
    (
        "RP-VILLAGE",
        "R0001",
        ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL,
        2026,
        [(Funder.PROVINCE, 3_333_333, 1_666_666)],
    ),
]


async def build_report_world() -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.create(
            scope,
            {
                "code": "R0001",
                "name": "미사보고초등학교",
                "level": SchoolLevel.ELEMENTARY,
                "district": "미사",
                "students": 300,
            },
        )
        for code, school, category, year, lines in PROGRAMS:
            await programs.create(
                scope,
                {
                    "code": code,
                    "name": f"{code} 사업",
                    "category": category,
                    "school_code": school,
                    "fiscal_year": year,
                },
            )
            for funder, allocated, executed in lines:
                await budget_lines.create(
                    scope,
                    {
                        "program_code": code,
                        "fiscal_year": year,
                        "funder": funder,
                        "allocated": allocated,
                        "executed": executed,
                    },
                )


@dataclass
class ReadReport:
    """A report workbook as its reader sees it."""

    title: str
    facts: dict[str, Any]  # 집계 기준, 조건, 금액 단위, 작성 일시, 조회 권한, 참고
    header: list[str]
    rows: list[list[Any]]  # one per group
    total: list[Any]
    number_formats: dict[str, str]  # header -> the number format of its first data cell
    formulas: list[str]  # cells Excel would compute (a report has none)


def read_report(content: bytes) -> ReadReport:
    sheet = load_workbook(BytesIO(content)).active
    assert sheet is not None
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    blank = next(i for i, line in enumerate(lines) if all(v is None for v in line))
    facts = {str(line[0]): line[1] for line in lines[1:blank]}
    header, body = lines[blank + 1], lines[blank + 2 :]
    assert body and body[-1][0] == "합계", "the last row is the totals row"
    formats = {str(name): sheet.cell(blank + 3, index + 1).number_format for index, name in enumerate(header)}
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    return ReadReport(
        str(lines[0][0]), facts, [str(h) for h in header], body[:-1], body[-1], formats, formulas
    )
