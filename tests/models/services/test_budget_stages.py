"""Stages and the 예산현액 rules of budget lines (models/services/budget_lines.py)."""

from __future__ import annotations

from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import BudgetStage
from models.errors import ErrorCode, ValidationFailed
from models.services import budget_lines
from models.services.write_scope import write_scope
from tests.models.services.budget_kit import make_line, make_program


@pytest.fixture
async def program(db: str) -> None:
    await make_program()


async def _create_codes(**fields: Any) -> list[tuple[str | None, ErrorCode]]:
    with pytest.raises(ValidationFailed) as failure:
        await make_line(**fields)
    return [(e.field, e.code) for e in failure.value.errors]


async def _update(line: BudgetLine, **changes: Any) -> BudgetLine:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await budget_lines.update(scope, line, changes)  # type: ignore[arg-type]


async def test_a_new_line_is_planned_with_zero_carry_over(program: None) -> None:
    line = await BudgetLine.get(id=(await make_line()).id)
    assert (line.stage, line.disbursed, line.carried_in, line.carried_out, line.unused) == (
        BudgetStage.PLANNED,
        0,
        0,
        0,
        0,
    )
    assert line.budget_current == 10_000_000


async def test_stage_and_new_amounts_are_stored(program: None) -> None:
    line = await make_line(stage=BudgetStage.DISBURSED, disbursed=4_000_000, carried_in=2_000_000)
    stored = await BudgetLine.get(id=line.id)
    assert (stored.stage, stored.disbursed, stored.carried_in, stored.budget_current) == (
        BudgetStage.DISBURSED,
        4_000_000,
        2_000_000,
        12_000_000,
    )


@pytest.mark.parametrize("name", ["disbursed", "carried_in", "carried_out"])
async def test_negative_new_amounts_are_refused(program: None, name: str) -> None:
    field = {"carried_in": "carriedIn", "carried_out": "carriedOut"}.get(name, name)
    assert await _create_codes(**{name: -1}) == [(field, ErrorCode.NEGATIVE_AMOUNT)]


async def test_executed_may_use_the_carried_in_money_but_not_more(program: None) -> None:
    line = await make_line(carried_in=3_000_000, executed=13_000_000)
    assert (await BudgetLine.get(id=line.id)).executed == 13_000_000
    with pytest.raises(ValidationFailed) as failure:
        await _update(line, executed=13_000_001)
    [error] = failure.value.errors
    assert error.code is ErrorCode.EXECUTED_OVER_ALLOCATED
    assert "예산현액(13,000,000원" in error.message


async def test_disbursed_over_the_budget_is_refused(program: None) -> None:
    assert await _create_codes(disbursed=10_000_001) == [("disbursed", ErrorCode.DISBURSED_OVER_BUDGET)]


async def test_carried_out_over_the_unspent_rest_is_refused(program: None) -> None:
    line = await make_line(executed=7_000_000, carried_out=3_000_000)
    with pytest.raises(ValidationFailed) as failure:
        await _update(line, carried_out=3_000_001)
    [error] = failure.value.errors
    assert (error.field, error.code) == ("carriedOut", ErrorCode.CARRIED_OVER_UNSPENT)
    assert "집행 잔액(3,000,000원" in error.message
    # Nothing was lost: the committed figures stay.
    assert (await BudgetLine.get(id=line.id)).carried_out == 3_000_000


async def test_settled_stage_and_unused_cannot_be_set_directly(program: None) -> None:
    assert await _create_codes(stage=BudgetStage.SETTLED) == [("stage", ErrorCode.STAGE_NOT_ALLOWED)]
    line = await make_line()
    with pytest.raises(ValidationFailed) as failure:
        await _update(line, unused=5)
    assert [e.code for e in failure.value.errors] == [ErrorCode.STAGE_NOT_ALLOWED]


async def test_a_blank_stage_is_the_first_stage_on_create_and_refused_on_update(program: None) -> None:
    line = await make_line(stage=None)
    assert (await BudgetLine.get(id=line.id)).stage == BudgetStage.PLANNED
    with pytest.raises(ValidationFailed) as failure:
        await _update(line, stage=None)
    assert [(e.field, e.code) for e in failure.value.errors] == [("stage", ErrorCode.REQUIRED)]
