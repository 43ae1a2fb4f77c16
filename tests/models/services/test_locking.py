"""Row locks and fresh re-reads (both engines): a write never acts on the caller's stale copy."""

from __future__ import annotations

import pytest

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import Funder, ProgramCategory, SchoolLevel
from models.errors import RecordNotFound
from models.school import School
from models.services import budget_lines, locking, programs, schools
from models.services.write_scope import write_scope


async def _line(allocated: int = 100, executed: int = 10) -> BudgetLine:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.create(
            scope, {"code": "P1", "name": "드론", "category": ProgramCategory.OTHER, "fiscal_year": 2025}
        )
        return await budget_lines.create(
            scope,
            {
                "program_code": "P1",
                "fiscal_year": 2025,
                "funder": Funder.CITY,
                "allocated": allocated,
                "executed": executed,
            },
        )


async def _schools(*codes: str) -> list[School]:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return [
            await schools.create(scope, {"code": c, "name": c, "level": SchoolLevel.HIGH, "district": "미사"})
            for c in codes
        ]


async def test_locked_reads_the_committed_row(db: str) -> None:
    [school] = await _schools("S1")
    await School.filter(id=school.id).update(name="바뀐 이름")
    async with write_scope(SYSTEM_ACTOR) as scope:
        fresh = await locking.locked(scope, School, school.id)
        assert await locking.locked(scope, School, school.id + 1000) is None
    assert fresh is not None and fresh.name == "바뀐 이름"


async def test_locked_many_keys_rows_by_id_and_skips_missing_ones(db: str) -> None:
    rows = await _schools("S3", "S1", "S2")
    ids = [r.id for r in rows]
    async with write_scope(SYSTEM_ACTOR) as scope:
        found = await locking.locked_many(scope, School, [ids[2], 9999, ids[0], ids[0]])
        assert await locking.locked_many(scope, School, []) == {}
    assert list(found) == sorted([ids[2], ids[0]])
    assert {row.code for row in found.values()} == {"S3", "S2"}


async def test_require_locked_names_the_missing_record(db: str) -> None:
    with pytest.raises(RecordNotFound) as missing:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await locking.require_locked(scope, BudgetLine, 4242)
    assert (missing.value.record_type, missing.value.key) == ("BudgetLine", 4242)


async def test_a_named_lock_can_be_taken_twice_in_one_scope(db: str) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await locking.exclusive(scope, "test.lock")
        await locking.exclusive(scope, "test.lock")
