"""Schema test kit: a small, varied Hanam world built through the service layer, and a runner
that executes operations as a given viewer. Fixtures wrapping these live in conftest.py."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from api.settings import Settings
from models.actor import SYSTEM_ACTOR, Actor
from models.budget_line import BudgetLine
from models.enums import ActorKind, BudgetStage, Funder, ProgramCategory, Role, SchoolLevel
from models.program import Program
from models.school import School
from models.services import budget_lines, programs, schools
from models.services.write_scope import write_scope
from schema.context import Context
from schema.loaders import Loaders
from schema.root import build_schema
from sync.conflicts import resolve_conflict

DISTRICTS = ["미사", "위례", "감일", "신장", "덕풍"]


@dataclass
class World:
    schools: list[School]
    programs: list[Program]
    lines: list[BudgetLine]


WorldFactory = Callable[..., Awaitable[World]]


async def build_world(
    *, schools_count: int = 4, programs_per_school: int = 2, lines_per_program: int = 3, prefix: str = "S"
) -> World:
    """Schools of every level and district, programs (plus one city-wide), lines of every funder."""
    rng = random.Random(f"{prefix}{schools_count}")
    world = World([], [], [])
    levels, funders, categories = list(SchoolLevel), list(Funder), list(ProgramCategory)
    async with write_scope(SYSTEM_ACTOR) as scope:
        for i in range(schools_count):
            school = await schools.create(
                scope,
                {
                    "code": f"{prefix}{i:04d}",
                    "name": f"하남{prefix}{i}학교",
                    "level": levels[i % len(levels)],
                    "district": DISTRICTS[i % len(DISTRICTS)],
                    "students": 100 + i,
                },
            )
            world.schools.append(school)
        homes: list[str | None] = [s.code for s in world.schools for _ in range(programs_per_school)]
        for j, home in enumerate([*homes, None]):
            program = await programs.create(
                scope,
                {
                    "code": f"P{prefix}{j:04d}",
                    "name": f"{'시 전체' if home is None else '학교'} 사업 {j}",
                    "category": categories[j % len(categories)],
                    "school_code": home,
                    "fiscal_year": 2025 + j % 2,
                },
            )
            world.programs.append(program)
            for k in range(lines_per_program):
                allocated = rng.randrange(1, 50) * 1_000_000 + 3_000_000_000 * (k == 0)
                line = await budget_lines.create(
                    scope,
                    {
                        "program_code": program.code,
                        "fiscal_year": program.fiscal_year,
                        "funder": funders[(j + k) % len(funders)],
                        "allocated": allocated,
                        "executed": rng.randrange(0, allocated + 1),
                        # Not drawn from rng, so every other drawn figure stays as it was.
                        "stage": PLANNED_STAGES[(j + k) % len(PLANNED_STAGES)],
                        "carried_in": 250_000 * (k % 2),
                    },
                )
                world.lines.append(line)
    return world


PLANNED_STAGES = (BudgetStage.PLANNED, BudgetStage.AGREED, BudgetStage.DISBURSED, BudgetStage.EXECUTED)


# --- executing operations against the schema, as a given viewer -------------------------------

Run = Callable[..., Awaitable[dict[str, Any]]]

VIEWERS: dict[str, Actor | None] = {
    "anonymous": None,
    "partner": Actor(ActorKind.API_TOKEN, "협력기관 담당자", Role.PARTNER),
    "staff": Actor(ActorKind.API_TOKEN, "교육지원청 담당자", Role.STAFF),
    "admin": Actor(ActorKind.API_TOKEN, "시스템 관리자", Role.ADMIN),
}


def settings_for(database_url: str, **overrides: Any) -> Settings:
    return Settings(database_url=database_url, _env_file=None, **overrides)


def runner(db: str) -> Run:
    """Execute an operation as `viewer` ("anonymous", "partner", "staff", "admin" or an Actor).

    Returns {"data": ..., "errors": [{"message", "path", "extensions"}]} like the HTTP body.
    """
    schema = build_schema(settings_for(db))

    async def execute(
        query: str, variables: dict[str, Any] | None = None, *, viewer: str | Actor = "staff"
    ) -> dict[str, Any]:
        actor = VIEWERS[viewer] if isinstance(viewer, str) else viewer
        context = Context(
            viewer=actor, settings=settings_for(db), resolve_conflict=resolve_conflict, loaders=Loaders()
        )
        result = await schema.execute(query, variable_values=variables, context_value=context)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return body

    return execute
