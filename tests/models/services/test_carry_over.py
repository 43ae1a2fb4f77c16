"""budgetLineCarryOver's service (models/services/carry_over.py)."""

from __future__ import annotations

import pytest

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import BudgetStage, ChangeAction, RecordType
from models.errors import ErrorCode, ValidationFailed
from models.services import budget_lines
from models.services.carry_over import carry_over
from models.services.write_scope import write_scope
from tests.models.services.budget_kit import make_line, make_program


@pytest.fixture
async def program(db: str) -> None:
    await make_program()


async def _carry(line_id: int, amount: int) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await carry_over(scope, line_id, amount)


async def test_carry_over_settles_the_line_and_creates_next_years_line(program: None) -> None:
    line = await make_line(executed=7_000_000, carried_in=1_000_000)
    await _carry(line.id, 2_500_000)

    settled = await BudgetLine.get(id=line.id)
    assert (settled.stage, settled.carried_out, settled.unused) == (BudgetStage.SETTLED, 2_500_000, 1_500_000)
    assert settled.budget_current - settled.executed - settled.carried_out == settled.unused
    [following] = await BudgetLine.filter(fiscal_year=2026)
    assert (following.program_id, following.funder, following.allocated, following.carried_in) == (
        settled.program_id,
        settled.funder,
        0,
        2_500_000,
    )
    assert following.note == "2025년도 이월"
    events = await ChangeEvent.filter(record_type=RecordType.BUDGET_LINE).order_by("id")
    # create line, the settlement update, create next year's line: one audited event per change.
    assert [(e.record_id, e.action) for e in events[-2:]] == [
        (line.id, ChangeAction.UPDATE),
        (following.id, ChangeAction.CREATE),
    ]
    assert events[-2].changes == {
        "stage": ["PLANNED", "SETTLED"],
        "carried_out": [0, 2_500_000],
        "unused": [0, 1_500_000],
    }


async def test_carry_over_adds_to_an_existing_next_year_line(program: None) -> None:
    line = await make_line(executed=4_000_000)
    following = await make_line(fiscal_year=2026, allocated=8_000_000, carried_in=100)
    await _carry(line.id, 6_000_000)
    grown = await BudgetLine.get(id=following.id)
    assert (grown.allocated, grown.carried_in) == (8_000_000, 6_000_100)
    assert await BudgetLine.filter(fiscal_year=2026).count() == 1
    assert (await BudgetLine.get(id=line.id)).unused == 0


async def test_carrying_more_than_unspent_is_refused_and_changes_nothing(program: None) -> None:
    line = await make_line(executed=9_000_000)
    with pytest.raises(ValidationFailed) as failure:
        await _carry(line.id, 1_000_001)
    [error] = failure.value.errors
    assert (error.field, error.code) == ("amount", ErrorCode.CARRIED_OVER_UNSPENT)
    assert "이월액(1,000,001원)" in error.message
    assert (await BudgetLine.get(id=line.id)).stage == BudgetStage.PLANNED
    assert not await BudgetLine.filter(fiscal_year=2026).exists()


async def test_a_negative_carry_over_is_refused(program: None) -> None:
    line = await make_line()
    with pytest.raises(ValidationFailed) as failure:
        await _carry(line.id, -1)
    assert [e.code for e in failure.value.errors] == [ErrorCode.NEGATIVE_AMOUNT]


async def test_carrying_twice_is_refused_and_carries_once(program: None) -> None:
    line = await make_line(executed=5_000_000)
    await _carry(line.id, 1_000_000)
    with pytest.raises(ValidationFailed) as failure:
        await _carry(line.id, 1_000_000)
    [error] = failure.value.errors
    assert error.code is ErrorCode.SETTLED
    assert "이미 정산되었습니다" in error.message
    [following] = await BudgetLine.filter(fiscal_year=2026)
    assert following.carried_in == 1_000_000


async def test_a_settled_line_keeps_its_figures_and_is_never_archived(program: None) -> None:
    line = await make_line(executed=5_000_000)
    await _carry(line.id, 0)
    for changes in (
        {"executed": 1},
        {"allocated": 1},
        {"fiscal_year": 2024},
        {"stage": BudgetStage.EXECUTED},
    ):
        with pytest.raises(ValidationFailed) as failure:
            async with write_scope(SYSTEM_ACTOR) as scope:
                await budget_lines.update(scope, line, changes)  # type: ignore[arg-type]
        assert [e.code for e in failure.value.errors] == [ErrorCode.SETTLED], changes
    with pytest.raises(ValidationFailed):
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.archive(scope, line)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, line, {"note": "정산 완료"})  # the note stays editable
    stored = await BudgetLine.get(id=line.id)
    assert (stored.executed, stored.unused, stored.archived_at, stored.note) == (
        5_000_000,
        5_000_000,
        None,
        "정산 완료",
    )
    # Carrying 0 settles without touching next year.
    assert not await BudgetLine.filter(fiscal_year=2026).exists()
