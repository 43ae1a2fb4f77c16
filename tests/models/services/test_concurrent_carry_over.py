"""Two carry-overs of one line, or two closings of one year, at once on PostgreSQL.

Each writer opens its scope and reads the line (or the year's lines) without a lock, as the API
and the CLI do, then waits at a barrier so both have read before either writes. One wins, the
other gets the Korean refusal, and the money is carried once. (SQLite runs one transaction at a
time in-process: nothing to race there.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from models.actor import Actor
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import ActorKind, BudgetStage, RecordType, Role
from models.errors import ErrorCode, ValidationFailed
from models.fiscal_year_closing import FiscalYearClosing
from models.services import year_closing
from models.services.carry_over import carry_over
from models.services.write_scope import WriteScope, write_scope
from tests.models.services.budget_kit import make_line, make_program

pytestmark = pytest.mark.postgres

STAFF = Actor(ActorKind.API_TOKEN, "교육지원청 담당자", Role.STAFF)
Write = Callable[[WriteScope], Awaitable[Any]]


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Only PostgreSQL runs transactions truly at once."""
    return postgres_url


async def _race(count: int, write: Write) -> list[Any]:
    """`count` scopes: each reads the 2025 lines unlocked, meets the others, then writes."""
    barrier = asyncio.Barrier(count)

    async def one() -> Any:
        async with write_scope(STAFF) as scope:
            assert await BudgetLine.filter(fiscal_year=2025).using_db(scope.connection).count()
            await asyncio.wait_for(barrier.wait(), timeout=10)
            return await write(scope)

    return await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True)


def _refused(results: list[Any]) -> list[ValidationFailed]:
    failures = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(f, ValidationFailed) for f in failures), failures
    return failures  # type: ignore[return-value]


async def test_two_carry_overs_of_one_line_carry_once(db: str) -> None:
    await make_program()
    line = await make_line(executed=4_000_000)
    results = await _race(2, lambda scope: carry_over(scope, line.id, 5_000_000))
    [refusal] = _refused(results)
    [error] = refusal.errors
    assert error.code is ErrorCode.SETTLED and "이미 정산되었습니다" in error.message
    [following] = await BudgetLine.filter(fiscal_year=2026)
    assert following.carried_in == 5_000_000
    settled = await BudgetLine.get(id=line.id)
    assert (settled.stage, settled.carried_out, settled.unused) == (BudgetStage.SETTLED, 5_000_000, 1_000_000)
    updates = await ChangeEvent.filter(record_type=RecordType.BUDGET_LINE, record_id=line.id, action="UPDATE")
    assert len(updates) == 1


async def test_two_carry_overs_into_one_next_year_line_both_count(db: str) -> None:
    await make_program()
    first = await make_line(executed=4_000_000)
    second = await make_line(executed=8_000_000)
    following = await make_line(fiscal_year=2026, allocated=1_000)
    ids = iter([first.id, second.id])
    results = await _race(2, lambda scope: carry_over(scope, next(ids), 2_000_000))
    assert _refused(results) == []
    assert (await BudgetLine.get(id=following.id)).carried_in == 4_000_000  # no lost update


async def test_two_closings_of_one_year_close_it_once(db: str) -> None:
    await make_program()
    await make_line(executed=6_000_000, carried_out=3_000_000)
    await make_line(funder="OFFICE_OF_EDUCATION", executed=1_000_000)

    async def close(scope: WriteScope) -> Any:
        return await year_closing.close(scope, 2025)

    results = await _race(2, close)
    [refusal] = _refused(results)
    assert [e.code for e in refusal.errors] == [ErrorCode.YEAR_CLOSED]
    assert "2025년도는 이미 마감되었습니다" in refusal.errors[0].message
    assert await FiscalYearClosing.all().count() == 1
    [following] = await BudgetLine.filter(fiscal_year=2026)
    assert following.carried_in == 3_000_000
    assert await ChangeEvent.filter(record_type=RecordType.FISCAL_YEAR_CLOSING).count() == 1
