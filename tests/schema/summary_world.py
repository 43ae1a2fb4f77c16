"""A world for the summary queries (partners of two kinds, sessions, archived records) and
random `budgetSummary` / `activitySummary` queries over every dimension, filter and field."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from models.actor import SYSTEM_ACTOR
from models.enums import PartnerKind
from models.services import budget_lines, partners, program_partners, program_sessions, programs
from models.services.write_scope import write_scope
from tests.schema.schema_kit import DISTRICTS, World, WorldFactory

BUDGET_DIMENSIONS = [
    "SCHOOL",
    "PROGRAM",
    "CATEGORY",
    "FUNDER",
    "FISCAL_YEAR",
    "DISTRICT",
    "LEVEL",
    "PARTNER_KIND",
]
ACTIVITY_DIMENSIONS = [d for d in BUDGET_DIMENSIONS if d != "FUNDER"]
PLACE_FIELDS = ["schoolCode", "schoolName", "programCode", "programName", "category", "fiscalYear"]
PLACE_FIELDS += ["district", "level", "partnerKind"]
BUDGET_FIELDS = [*PLACE_FIELDS, "funder", "allocated", "executed", "lineCount", "executionRate"]
ACTIVITY_FIELDS = [*PLACE_FIELDS, "sessions", "participants", "elementary", "middle", "high", "special"]
ACTIVITY_FIELDS += ["hours", "executed", "wonPerParticipant"]
CATEGORIES = ["SCHOOL_SPECIALIZATION", "CAMPUS_TOUR", "SHARED_SCHOOL", "OTHER"]
LEVELS = ["ELEMENTARY", "MIDDLE", "HIGH", "SPECIAL"]


async def build_summary_world(make_world: WorldFactory) -> World:
    """Six schools' programs and lines, two partner kinds linked and hosting sessions, one line
    and one program archived (with its sessions, which must not count)."""
    world = await make_world(schools_count=6, programs_per_school=2, lines_per_program=3)
    async with write_scope(SYSTEM_ACTOR) as scope:
        university = await partners.create(
            scope, {"code": "EX-UNI", "name": "한강대학교", "kind": PartnerKind.UNIVERSITY}
        )
        company = await partners.create(
            scope, {"code": "EX-CO", "name": "하남기업", "kind": PartnerKind.COMPANY}
        )
        for index, program in enumerate(world.programs):
            if index % 3 == 0:
                await program_partners.link(scope, university, program.code, "강사 파견")
            if index % 4 == 1:
                await program_partners.link(scope, company, program.code, "장소 제공")
        rng = random.Random(14)
        for index, program in enumerate(world.programs):
            for day in range(index % 3 + 1):
                host = ["EX-UNI", "EX-CO", None][(index + day) % 3]
                session = {
                    "program_code": program.code,
                    "held_on": date(2025, 3 + day, 1 + index % 27),
                    "place": "교실",
                    "elementary": rng.randrange(0, 30),
                    "middle": rng.randrange(0, 30),
                    "high": rng.randrange(0, 9) * (index % 2),
                    "special": rng.randrange(0, 3),
                    "hours": Decimal(rng.randrange(1, 40)) / 10,
                }
                if host:
                    session["partner_code"] = host
                created = await program_sessions.create(scope, session)  # type: ignore[arg-type]
                if index == 3:  # the program archived below: its sessions go first, as they must
                    await program_sessions.archive(scope, created)
        await budget_lines.archive(scope, world.lines[1])
        for line in world.lines[9:12]:  # programs[3]'s lines: an archived program keeps none live
            await budget_lines.archive(scope, line)
        await programs.archive(scope, world.programs[3])
    return world


def _subset(rng: random.Random, options: list[str], most: int) -> list[str]:
    return [rng.choice(options) for _ in range(rng.randrange(0, most + 1))]


def _list(values: list[str], quoted: bool) -> str:
    return "[" + ", ".join(f'"{v}"' if quoted else v for v in values) + "]"


def summary_query(rng: random.Random, world: World) -> str:
    """One random summary query: groupBy (repeats allowed), a filter or none, a field selection."""
    budget = rng.random() < 0.5
    dimensions = BUDGET_DIMENSIONS if budget else ACTIVITY_DIMENSIONS
    group_by = _list(_subset(rng, dimensions, 3), quoted=False)
    codes = [p.code for p in world.programs]
    schools = [s.code for s in world.schools]
    conditions = {
        "fiscalYears": lambda: _list(rng.sample(["2024", "2025", "2026"], rng.randrange(0, 3)), False),
        "categories": lambda: _list(_subset(rng, CATEGORIES, 2), False),
        "programCodes": lambda: _list(_subset(rng, codes, 3), True),
        "levels": lambda: _list(_subset(rng, LEVELS, 2), False),
    }
    if budget:
        conditions["funders"] = lambda: _list(_subset(rng, ["CITY", "PROVINCE", "OTHER"], 2), False)
        conditions["schoolCodes"] = lambda: _list(_subset(rng, schools, 2), True)
        conditions["districts"] = lambda: _list(_subset(rng, DISTRICTS, 2), True)
        conditions["programNameContains"] = lambda: rng.choice(['"학교"', '"시 전체"', '"사업 1"', '""'])
    else:
        conditions["partnerKinds"] = lambda: _list(_subset(rng, ["UNIVERSITY", "COMPANY"], 1), False)
        conditions["partnerCodes"] = lambda: _list(_subset(rng, ["EX-UNI", "EX-CO"], 1), True)
        conditions["heldFrom"] = lambda: rng.choice(['"2025-03-10"', '"2025-04-01"'])
        conditions["includeArchived"] = lambda: rng.choice(["true", "false"])
    chosen = rng.sample(sorted(conditions), rng.randrange(0, 3))
    filter_text = ""
    if chosen or rng.random() < 0.2:
        filter_text = ", filter: {" + ", ".join(f"{name}: {conditions[name]()}" for name in chosen) + "}"
    fields = rng.sample(BUDGET_FIELDS if budget else ACTIVITY_FIELDS, rng.randrange(1, 8))
    if rng.random() < 0.6:
        keys = rng.sample(["dimension", "value", "label", "__typename"], rng.randrange(1, 4))
        fields.append("keys { " + " ".join(keys) + " }")
    if rng.random() < 0.2:
        fields.append("__typename")
    if rng.random() < 0.2:
        fields.append(f"again: {rng.choice(fields[:1])}")
    root = "budgetSummary" if budget else "activitySummary"
    return f"{{ {root}(groupBy: {group_by}{filter_text}) {{ {' '.join(fields)} }} }}"
