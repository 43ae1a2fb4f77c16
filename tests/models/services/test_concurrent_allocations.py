"""Concurrent allocation writes on PostgreSQL: real transactions on separate connections.

Two sets of the same (supplementary agreement, program, year) at once must leave one live
allocation, never two; a term shrinking while an allocation is set must not strand it.
(SQLite runs one transaction at a time in-process: nothing to race there.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR
from models.agreement import Agreement
from models.allocation import Allocation, AllocationShare
from models.errors import ErrorCode, ValidationFailed
from models.services import agreements, allocations
from models.services.write_scope import WriteScope, write_scope
from tests.models.services.agreement_world import allocation_fields, world

pytestmark = pytest.mark.postgres
Write = Callable[[WriteScope], Awaitable[Any]]


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Only PostgreSQL runs transactions truly at once."""
    return postgres_url


async def _race(*writes: Write) -> list[Any]:
    """Each write in its own scope, all opened before any writes; results or exceptions."""
    barrier = asyncio.Barrier(len(writes))

    async def one(write: Write) -> Any:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await scope.connection.execute_query("SELECT 1")  # the transaction holds its connection
            await asyncio.wait_for(barrier.wait(), timeout=10)
            return await write(scope)

    return await asyncio.gather(*(one(w) for w in writes), return_exceptions=True)


def _set(total: int) -> Write:
    fields = allocation_fields(total, CITY=total)

    async def write(scope: WriteScope) -> Any:
        return await allocations.set_allocation(scope, fields)  # type: ignore[arg-type]

    return write


async def test_two_sets_of_one_key_at_once_leave_one_live_allocation(db: str) -> None:
    await world()
    outcomes = await _race(_set(10_000_000), _set(20_000_000))
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    [allocation] = await Allocation.filter(archived_at=None)
    [share] = await AllocationShare.filter(allocation_id=allocation.pk)
    assert share.amount == allocation.total in (10_000_000, 20_000_000)  # the later one, whole


async def test_a_term_shrinking_while_a_year_is_set_never_strands_it(db: str) -> None:
    await world()
    current = await Agreement.get(code="HANAM-GHOE-2025")

    async def shrink(scope: WriteScope) -> Any:
        return await agreements.update(scope, current, {"term_end": date(2025, 12, 31)})

    set_2026 = {**allocation_fields(), "fiscal_year": 2026}

    async def set_late_year(scope: WriteScope) -> Any:
        return await allocations.set_allocation(scope, set_2026)  # type: ignore[arg-type]

    outcomes = await _race(shrink, set_late_year)
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(refused) == 1 and refused[0].errors[0].code is ErrorCode.OUTSIDE_TERM, outcomes
    term_end = (await Agreement.get(pk=current.pk)).term_end
    live_years = [allocation.fiscal_year for allocation in await Allocation.filter(archived_at=None)]
    assert all(year <= term_end.year for year in live_years)
