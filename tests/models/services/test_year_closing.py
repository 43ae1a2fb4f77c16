"""Closing a fiscal year (models/services/year_closing.py)."""

from __future__ import annotations

import pytest

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import BudgetStage, ChangeAction, Funder, RecordType
from models.errors import ErrorCode, ValidationFailed
from models.fiscal_year_closing import FiscalYearClosing
from models.services import budget_lines, year_closing
from models.services.carry_over import carry_over
from models.services.write_scope import write_scope
from tests.models.services.budget_kit import make_line, make_program


@pytest.fixture
async def program(db: str) -> None:
    await make_program()
    await make_program("P2")


async def _close(year: int) -> FiscalYearClosing:
    async with write_scope(SYSTEM_ACTOR) as scope:
        _, closing = await year_closing.close(scope, year)
    return closing


async def test_closing_settles_every_line_carrying_what_staff_recorded(program: None) -> None:
    a = await make_line(executed=6_000_000, carried_out=3_000_000)
    b = await make_line(funder=Funder.OFFICE_OF_EDUCATION, executed=10_000_000)
    c = await make_line(program_code="P2", executed=1_000_000, carried_out=500_000)
    existing = await make_line(program_code="P2", fiscal_year=2026, allocated=2_000_000)
    archived = await make_line(program_code="P2", executed=0)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.archive(scope, archived)
    closing = await _close(2025)

    rows = {line.id: line for line in await BudgetLine.all()}
    assert all(rows[i].stage == BudgetStage.SETTLED for i in (a.id, b.id, c.id))
    assert (rows[a.id].unused, rows[b.id].unused, rows[c.id].unused) == (1_000_000, 0, 8_500_000)
    assert rows[archived.id].stage == BudgetStage.PLANNED  # archived lines are not settled
    assert rows[existing.id].carried_in == 500_000
    [created] = [line for line in rows.values() if line.fiscal_year == 2026 and line.id != existing.id]
    assert (created.program_id, created.funder, created.allocated, created.carried_in) == (
        a.program_id,
        Funder.CITY,
        0,
        3_000_000,
    )
    assert (closing.fiscal_year, closing.lines_settled, closing.lines_created) == (2025, 3, 1)
    assert (closing.total_executed, closing.total_carried, closing.total_unused) == (
        17_000_000,
        3_500_000,
        9_500_000,
    )
    [event] = await ChangeEvent.filter(record_type=RecordType.FISCAL_YEAR_CLOSING)
    assert (event.record_id, event.action, event.changes["lines_settled"]) == (
        closing.id,
        ChangeAction.CREATE,
        [None, 3],
    )


async def test_a_year_is_closed_once(program: None) -> None:
    await make_line(executed=1)
    await _close(2025)
    events = await ChangeEvent.all().count()
    with pytest.raises(ValidationFailed) as failure:
        await _close(2025)
    [error] = failure.value.errors
    assert error.code is ErrorCode.YEAR_CLOSED
    assert "2025년도는 이미 마감되었습니다" in error.message
    assert await ChangeEvent.all().count() == events
    assert await FiscalYearClosing.all().count() == 1


async def test_lines_already_carried_keep_their_settlement(program: None) -> None:
    line = await make_line(executed=2_000_000, carried_out=1)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await carry_over(scope, line.id, 4_000_000)
    closing = await _close(2025)
    assert closing.lines_settled == 0
    stored = await BudgetLine.get(id=line.id)
    assert (stored.carried_out, stored.unused) == (4_000_000, 4_000_000)
    assert (await BudgetLine.get(fiscal_year=2026)).carried_in == 4_000_000


async def test_no_line_enters_a_closed_year(program: None) -> None:
    await make_line()
    await _close(2025)
    with pytest.raises(ValidationFailed) as failure:
        await make_line(allocated=1)
    assert [e.code for e in failure.value.errors] == [ErrorCode.YEAR_CLOSED]
    line = await make_line(fiscal_year=2024)
    with pytest.raises(ValidationFailed) as moved:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"fiscal_year": 2025})
    assert [e.code for e in moved.value.errors] == [ErrorCode.YEAR_CLOSED]


async def test_the_plan_is_what_closing_does_and_writes_nothing(program: None) -> None:
    await make_line(executed=6_000_000, carried_out=3_000_000)
    await make_line(program_code="P2", executed=1_000_000)
    events = await ChangeEvent.all().count()
    plan = await year_closing.plan(2025)
    assert [(s.carried, s.unused, s.next_line_id) for s in plan.steps] == [
        (3_000_000, 1_000_000, None),
        (0, 9_000_000, None),
    ]
    assert plan.lines_created == 1
    assert await ChangeEvent.all().count() == events
    closing = await _close(2025)
    assert (closing.lines_settled, closing.lines_created, closing.total_unused) == (2, 1, plan.total_unused)


async def test_a_closed_years_line_keeps_its_note_editable_with_its_year_restated(program: None) -> None:
    line = await make_line(executed=1)
    await _close(2025)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, line, {"fiscal_year": 2025, "note": "결산 완료"})
    stored = await BudgetLine.get(id=line.id)
    assert (stored.note, stored.stage) == ("결산 완료", BudgetStage.SETTLED)
