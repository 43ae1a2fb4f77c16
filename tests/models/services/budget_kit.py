"""A program with budget lines, for the carry-over and year-closing tests."""

from __future__ import annotations

from typing import Any

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import Funder, ProgramCategory
from models.services import budget_lines, programs
from models.services.write_scope import write_scope


async def make_program(code: str = "P1") -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.create(
            scope,
            {
                "code": code,
                "name": "드론 교실",
                "category": ProgramCategory.SHARED_SCHOOL,
                "fiscal_year": 2025,
            },
        )


async def make_line(**fields: Any) -> BudgetLine:
    values: Any = {
        "program_code": "P1",
        "fiscal_year": 2025,
        "funder": Funder.CITY,
        "allocated": 10_000_000,
        **fields,
    }
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await budget_lines.create(scope, values)
