"""Concurrent writes on PostgreSQL: real transactions on separate connections, at the same time.

Each writer opens its scope and reads its row without a lock, as a mutation does, then waits at
a barrier, so both have read before either writes. Before row locks, the second save put back
every column of its stale copy and the outbox reported old values it never replaced.
(SQLite runs one transaction at a time in-process: nothing to race there.)
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR, Actor
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import ActorKind, ChangeAction, Funder, ProgramCategory, RecordType, Role, SchoolLevel
from models.errors import ErrorCode, ValidationFailed
from models.program import Program
from models.school import School
from models.services import budget_lines, programs, schools
from models.services.budget_lines import BudgetLineFields
from models.services.programs import ProgramFields
from models.services.record_values import budget_line_values, program_values
from models.services.validation import MAX_WON
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


async def test_a_school_being_archived_never_gains_a_live_program(db: str) -> None:
    await _world(lines=0)
    async with write_scope(SYSTEM_ACTOR) as scope:
        school = await schools.create(
            scope, {"code": "S3", "name": "감일고", "level": SchoolLevel.HIGH, "district": "감일"}
        )
    program: ProgramFields = {
        "code": "P3",
        "name": "캠퍼스 투어",
        "category": ProgramCategory.CAMPUS_TOUR,
        "school_code": "S3",
        "fiscal_year": 2025,
    }
    results = await _race(
        (_nothing, lambda scope: schools.archive(scope, school)),
        (_nothing, lambda scope: programs.create(scope, program)),
    )
    archived, created = results
    assert isinstance(archived, ValidationFailed) != isinstance(created, ValidationFailed), results
    live = await Program.filter(school_id=school.id, archived_at=None).count()
    stored = await School.get(id=school.id)
    assert not (stored.archived_at is not None and live)


async def test_concurrent_creates_cannot_both_pass_the_total_limit(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _world(allocated=MAX_WON - 10, executed=0)
    real_total = budget_lines.allocated_total

    async def slow_total(scope: WriteScope) -> int:
        # Widen the window between reading the total and inserting: without the lock both pass.
        total = await real_total(scope)
        await asyncio.sleep(0.2)
        return total

    monkeypatch.setattr(budget_lines, "allocated_total", slow_total)
    # Lines of two different programs: no row lock in common, only the total's named lock.
    one: BudgetLineFields = {
        "program_code": "P1",
        "fiscal_year": 2025,
        "funder": Funder.CITY,
        "allocated": 10,
    }
    other: BudgetLineFields = {**one, "program_code": "P2"}
    results = await _race(
        (_nothing, lambda scope: budget_lines.create(scope, one)),
        (_nothing, lambda scope: budget_lines.create(scope, other)),
    )
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(refused) == 1, results
    assert [(e.field, e.code) for e in refused[0].errors] == [("allocated", ErrorCode.OUT_OF_RANGE)]
    assert sum(await BudgetLine.all().values_list("allocated", flat=True)) == MAX_WON  # type: ignore[arg-type]


@pytest.mark.parametrize("rounds", range(3))
async def test_a_school_rename_racing_program_writes_keeps_every_history_chained(
    db: str, rounds: int
) -> None:
    await _world(lines=0)  # school S1 with programs P1 and P2
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.create(
            scope, {"code": "S2", "name": "덕풍중", "level": SchoolLevel.MIDDLE, "district": "덕풍"}
        )
    s1 = await School.get(code="S1")
    p1, p2 = await Program.filter(code__in=["P1", "P2"]).order_by("code")
    new: ProgramFields = {
        "code": "P5",
        "name": "P5",
        "category": ProgramCategory.OTHER,
        "school_code": "S1",
        "fiscal_year": 2025,
    }
    results = await _race(
        (_nothing, lambda scope: schools.update(scope, s1, {"code": "S1-R"})),
        (_nothing, lambda scope: programs.update(scope, p1, {"school_code": "S2"})),
        (_nothing, lambda scope: programs.update(scope, p2, {"school_code": None})),
        (_nothing, lambda scope: programs.create(scope, new)),
    )
    assert all(isinstance(r, School | Program | ValidationFailed) for r in results), results
    # The create may find S1 already renamed; nothing else can be refused.
    assert not any(isinstance(r, ValidationFailed) for r in results[:3]), results
    await _assert_outbox_replays(RecordType.PROGRAM, await _program_values())
    homes = dict(await Program.filter(code__in=["P1", "P2"]).values_list("code", "school_id"))
    assert homes == {"P1": (await School.get(code="S2")).id, "P2": None}


# --- a small randomized run: replaying the outbox reproduces the table ------------------------


async def test_randomized_concurrent_writes_replay_to_the_table(db: str) -> None:
    rng = random.Random(20260301)
    lines = await _world(lines=3, allocated=50, executed=5)
    renames = iter(range(1, 1000))
    outcomes = {"ok": 0, "refused": 0}
    for _ in range(15):
        ops = [await _random_op(rng, [line.id for line in lines], renames) for _ in range(4)]
        for result in await _race(*ops):
            if isinstance(result, ValidationFailed):
                outcomes["refused"] += 1
            elif isinstance(result, BaseException):
                raise result
            else:
                outcomes["ok"] += 1
    assert outcomes["ok"] > 30 and outcomes["refused"] > 0, outcomes
    await _assert_outbox_replays(RecordType.BUDGET_LINE, await _line_values())
    await _assert_outbox_replays(RecordType.PROGRAM, await _program_values())


async def _random_op(rng: random.Random, line_ids: list[int], renames: Any) -> tuple[Write, Write]:
    kind = rng.choice(["amounts", "amounts", "note", "move", "rename"])
    codes = await Program.all().order_by("id").values_list("code", flat=True)
    if kind == "rename":
        target = rng.choice(codes)
        seen: list[Program] = []

        async def read(scope: WriteScope) -> None:
            seen.extend(await Program.filter(code=target).using_db(scope.connection))

        async def write(scope: WriteScope) -> Any:
            if not seen:  # renamed away by an earlier op in this round's reads
                return None
            return await programs.update(scope, seen[0], {"code": f"P{next(renames)}"})

        return read, write
    changes: dict[str, Any] = {}
    if kind == "amounts":
        for name in rng.sample(["allocated", "executed"], rng.randint(1, 2)):
            changes[name] = rng.randrange(0, 100)
    elif kind == "note":
        changes["note"] = rng.choice(["", "정정", "추경", "이월"])
    else:
        changes["program_code"] = rng.choice(codes)
    return _update_line(rng.choice(line_ids), changes)


async def _line_values() -> dict[int, dict[str, Any]]:
    codes = dict(await Program.all().values_list("id", "code"))
    return {line.id: budget_line_values(line, codes[line.program_id]) for line in await BudgetLine.all()}


async def _program_values() -> dict[int, dict[str, Any]]:
    codes = dict(await School.all().values_list("id", "code"))
    return {p.id: program_values(p, codes.get(p.school_id)) for p in await Program.all()}


async def _assert_outbox_replays(record_type: RecordType, table: dict[int, dict[str, Any]]) -> None:
    """Each event's old value is the previous event's new one, and the last new values are the row."""
    replayed: dict[int, dict[str, Any]] = {}
    for event in await ChangeEvent.filter(record_type=record_type).order_by("id"):
        values = replayed.setdefault(event.record_id, {})
        for field, (old, new) in event.changes.items():
            assert values.get(field) == old, (record_type, event.record_id, field, event.id)
            values[field] = new
    assert replayed == table
