"""Concurrent writes on PostgreSQL: real transactions on separate connections, at the same time.

Each writer opens its scope and reads its row without a lock, as a mutation does, then waits at
a barrier, so both have read before either writes. Before row locks, the second save put back
every column of its stale copy and the outbox reported old values it never replaced.
(SQLite runs one transaction at a time in-process: nothing to race there.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR, Actor
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import ActorKind, ChangeAction, Funder, ProgramCategory, Role, SchoolLevel
from models.errors import ErrorCode, ValidationFailed
from models.school import School
from models.services import budget_lines, programs, schools
from models.services.write_scope import WriteScope, write_scope

pytestmark = pytest.mark.postgres

STAFF = Actor(ActorKind.API_TOKEN, "교육지원청 담당자", Role.STAFF)
Write = Callable[[WriteScope], Awaitable[Any]]


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Only PostgreSQL runs transactions truly at once."""
    return postgres_url


async def _race(*writes: tuple[Callable[[WriteScope], Awaitable[Any]], Write]) -> list[Any]:
    """Run each (read, write) pair in its own scope; every read happens before any write.

    Returns each write's result or the exception it raised.
    """
    barrier = asyncio.Barrier(len(writes))

    async def one(read: Callable[[WriteScope], Awaitable[Any]], write: Write) -> Any:
        async with write_scope(STAFF) as scope:
            await read(scope)
            await asyncio.wait_for(barrier.wait(), timeout=10)
            return await write(scope)

    return await asyncio.gather(*(one(r, w) for r, w in writes), return_exceptions=True)


def _update_line(line_id: int, changes: dict[str, Any]) -> tuple[Write, Write]:
    """A mutation's shape: an unlocked read of the row, then the service update with that copy."""
    seen: list[BudgetLine] = []

    async def read(scope: WriteScope) -> None:
        seen.append(await BudgetLine.filter(id=line_id).using_db(scope.connection).get())

    async def write(scope: WriteScope) -> BudgetLine:
        return await budget_lines.update(scope, seen[0], changes)  # type: ignore[arg-type]

    return read, write


async def _nothing(scope: WriteScope) -> None:
    return None


async def _world(lines: int = 1, allocated: int = 100, executed: int = 10) -> list[BudgetLine]:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.create(
            scope, {"code": "S1", "name": "하남고", "level": SchoolLevel.HIGH, "district": "신장"}
        )
        for code in ("P1", "P2"):
            await programs.create(
                scope,
                {
                    "code": code,
                    "name": code,
                    "category": ProgramCategory.OTHER,
                    "school_code": "S1",
                    "fiscal_year": 2025,
                },
            )
        return [
            await budget_lines.create(
                scope,
                {
                    "program_code": "P1",
                    "fiscal_year": 2025,
                    "funder": Funder.CITY,
                    "allocated": allocated,
                    "executed": executed,
                },
            )
            for _ in range(lines)
        ]


async def test_non_overlapping_updates_of_one_line_both_land(db: str) -> None:
    [line] = await _world()
    results = await _race(_update_line(line.id, {"allocated": 20}), _update_line(line.id, {"note": "정정"}))
    assert not [r for r in results if isinstance(r, BaseException)]
    stored = await BudgetLine.get(id=line.id)
    assert (stored.allocated, stored.executed, stored.note) == (20, 10, "정정")
    changes = [e.changes for e in await ChangeEvent.filter(action=ChangeAction.UPDATE).order_by("id")]
    assert sorted(changes, key=str) == sorted([{"allocated": [100, 20]}, {"note": ["", "정정"]}], key=str)


async def test_allocated_and_executed_from_two_writers_both_land(db: str) -> None:
    [line] = await _world(allocated=100, executed=10)
    results = await _race(_update_line(line.id, {"allocated": 120}), _update_line(line.id, {"executed": 90}))
    assert not [r for r in results if isinstance(r, BaseException)]
    stored = await BudgetLine.get(id=line.id)
    assert (stored.allocated, stored.executed) == (120, 90)


@pytest.mark.parametrize("rounds", range(5))
async def test_a_conflicting_pair_ends_with_one_success_and_one_user_error(db: str, rounds: int) -> None:
    [line] = await _world(allocated=100, executed=10)
    results = await _race(_update_line(line.id, {"allocated": 20}), _update_line(line.id, {"executed": 90}))
    failures = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(failures) == 1, results
    [error] = failures[0].errors
    assert error.code is ErrorCode.EXECUTED_OVER_ALLOCATED
    assert "집행액" in error.message and "배정액" in error.message
    stored = await BudgetLine.get(id=line.id)
    assert (stored.allocated, stored.executed) in {(20, 10), (100, 90)}
    [event] = await ChangeEvent.filter(action=ChangeAction.UPDATE)
    assert event.changes in ({"allocated": [100, 20]}, {"executed": [10, 90]})


async def test_concurrent_school_edits_and_archive_never_lose_a_write(db: str) -> None:
    await _world(lines=0)
    async with write_scope(SYSTEM_ACTOR) as scope:
        school = await schools.create(
            scope, {"code": "S2", "name": "위례중", "level": SchoolLevel.MIDDLE, "district": "위례"}
        )
    stale = await School.get(id=school.id)
    results = await _race(
        (_nothing, lambda scope: schools.update(scope, stale, {"students": 700})),
        (_nothing, lambda scope: schools.update(scope, stale, {"name": "위례한빛중"})),
        (_nothing, lambda scope: schools.archive(scope, stale)),
    )
    stored = await School.get(id=school.id)
    assert isinstance(results[2], School) and stored.archived_at is not None
    # Each update landed before the archive, or was refused as ARCHIVED after it: none vanished.
    for result, landed in ((results[0], stored.students == 700), (results[1], stored.name == "위례한빛중")):
        if isinstance(result, ValidationFailed):
            assert result.errors[0].code is ErrorCode.ARCHIVED and not landed
        else:
            assert isinstance(result, School) and landed, result
