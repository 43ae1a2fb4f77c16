"""Row locks and fresh re-reads (both engines): a write never acts on the caller's stale copy."""

from __future__ import annotations

import logging

import pytest

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import ChangeAction, Funder, ProgramCategory, SchoolLevel
from models.errors import ErrorCode, RecordNotFound, ValidationFailed
from models.program import Program
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


async def test_a_stale_copy_neither_clobbers_nor_misreports_a_committed_write(db: str) -> None:
    line = await _line(allocated=100, executed=10)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, line, {"allocated": 20})
    # `line` still says allocated 100: the update must validate and diff against 20.
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 90})
    assert [e.code for e in failure.value.errors] == [ErrorCode.EXECUTED_OVER_ALLOCATED]
    async with write_scope(SYSTEM_ACTOR) as scope:
        fresh = await budget_lines.update(scope, line, {"executed": 15})
    assert (fresh.allocated, fresh.executed) == (20, 15)
    stored = await BudgetLine.get(id=line.id)
    assert (stored.allocated, stored.executed) == (20, 15)
    updates = await ChangeEvent.filter(action=ChangeAction.UPDATE).order_by("id")
    assert [e.changes for e in updates] == [{"allocated": [100, 20]}, {"executed": [10, 15]}]


async def test_archive_and_restore_act_on_the_committed_row(db: str) -> None:
    [school] = await _schools("S1")
    async with write_scope(SYSTEM_ACTOR) as scope:
        archived = await schools.archive(scope, school)
    assert archived.archived_at is not None and school.archived_at is None
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await schools.archive(scope, school)  # the stale copy says live; the row says archived
    assert failure.value.errors[0].code is ErrorCode.ARCHIVED
    async with write_scope(SYSTEM_ACTOR) as scope:
        restored = await schools.restore(scope, school)
    assert restored.archived_at is None
    actions = [e.action for e in await ChangeEvent.filter(record_id=school.id).order_by("id")]
    assert actions == [ChangeAction.CREATE, ChangeAction.ARCHIVE, ChangeAction.RESTORE]


async def test_archive_guard_counts_under_the_lock(db: str) -> None:
    [school] = await _schools("S1")
    stale = await School.get(id=school.id)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.create(
            scope,
            {
                "code": "P9",
                "name": "생태",
                "category": ProgramCategory.OTHER,
                "school_code": "S1",
                "fiscal_year": 2025,
            },
        )
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await schools.archive(scope, stale)
    assert failure.value.errors[0].code is ErrorCode.IN_USE


async def test_an_update_writes_only_the_columns_it_changes(
    db: str, caplog: pytest.LogCaptureFixture
) -> None:
    line = await _line()
    async with write_scope(SYSTEM_ACTOR) as scope:
        [program] = await Program.filter(code="P1")
        with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
            await budget_lines.update(scope, line, {"executed": 11, "note": "정정", "allocated": 100})
            await programs.update(scope, program, {"school_code": None, "name": "새 이름"})
    statements = [r.getMessage() for r in caplog.records if r.getMessage().lstrip().startswith("UPDATE")]
    assert len(statements) == 2, statements
    line_update, program_update = (s.split(" WHERE ")[0] for s in statements)
    assert '"executed"' in line_update and '"note"' in line_update and '"updated_at"' in line_update
    assert '"allocated"' not in line_update and '"fiscal_year"' not in line_update
    assert '"program_id"' not in line_update
    assert '"name"' in program_update and '"code"' not in program_update
    assert '"school_id"' not in program_update  # city-wide already: school_code did not change
