import pytest

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import Funder, ProgramCategory
from models.errors import ErrorCode, ValidationFailed
from models.services import budget_lines, programs
from models.services.budget_lines import BudgetLineFields
from models.services.validation import MAX_WON
from models.services.write_scope import write_scope

LINE: BudgetLineFields = {
    "program_code": "P1",
    "fiscal_year": 2025,
    "funder": Funder.CITY,
    "allocated": 5_000_000,
}


@pytest.fixture
async def program(db: str) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.create(
            scope,
            {
                "code": "P1",
                "name": "드론 교실",
                "category": ProgramCategory.SHARED_SCHOOL,
                "fiscal_year": 2025,
            },
        )


async def _failure_codes(fields: BudgetLineFields) -> list[ErrorCode]:
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.create(scope, fields)
    return [error.code for error in failure.value.errors]


async def test_amounts_beyond_32_bits_are_kept_exactly(program: None) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        line = await budget_lines.create(
            scope, {**LINE, "allocated": 12_345_678_901_234, "executed": 3_000_000_000}
        )
    stored = await BudgetLine.get(id=line.id)
    assert (stored.allocated, stored.executed) == (12_345_678_901_234, 3_000_000_000)


async def test_negative_amount_is_refused(program: None) -> None:
    assert await _failure_codes({**LINE, "allocated": -1}) == [ErrorCode.NEGATIVE_AMOUNT]


async def test_amount_above_the_exact_json_range_is_refused(program: None) -> None:
    assert await _failure_codes({**LINE, "allocated": MAX_WON + 1}) == [ErrorCode.OUT_OF_RANGE]


async def test_executed_over_allocated_is_refused_on_create_and_update(program: None) -> None:
    assert await _failure_codes({**LINE, "executed": 5_000_001}) == [ErrorCode.EXECUTED_OVER_ALLOCATED]
    async with write_scope(SYSTEM_ACTOR) as scope:
        line = await budget_lines.create(scope, {**LINE, "executed": 1_000_000})
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"allocated": 999_999})
    assert failure.value.errors[0].code is ErrorCode.EXECUTED_OVER_ALLOCATED
    assert (await BudgetLine.get(id=line.id)).allocated == 5_000_000


async def test_unknown_program_is_a_user_error(program: None) -> None:
    assert await _failure_codes({**LINE, "program_code": "P404"}) == [ErrorCode.UNKNOWN_PROGRAM]
