import pytest

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import Funder, ProgramCategory
from models.errors import ErrorCode, UserError, ValidationFailed
from models.program import Program
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


# --- the total of allocated over every line stays within Won ----------------------------------


async def _create(fields: BudgetLineFields) -> BudgetLine:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await budget_lines.create(scope, fields)


async def _refused_create(fields: BudgetLineFields) -> list[UserError]:
    with pytest.raises(ValidationFailed) as failure:
        await _create(fields)
    return failure.value.errors


async def _refused_update(line: BudgetLine, changes: BudgetLineFields) -> list[UserError]:
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, changes)
    return failure.value.errors


async def _refused_restore(line: BudgetLine) -> list[UserError]:
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.restore(scope, line)
    return failure.value.errors


async def _total() -> int:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await budget_lines.allocated_total(scope)


async def test_the_total_may_reach_max_won_exactly_and_not_one_won_more(program: None) -> None:
    first = await _create({**LINE, "allocated": MAX_WON - 100})
    await _create({**LINE, "allocated": 100, "executed": 100})
    assert await _total() == MAX_WON
    [error] = await _refused_create({**LINE, "allocated": 1})
    assert (error.field, error.code) == ("allocated", ErrorCode.OUT_OF_RANGE)
    assert "합계" in error.message and f"{MAX_WON:,}원" in error.message
    [error] = await _refused_update(first, {"allocated": MAX_WON - 99})
    assert (error.field, error.code) == ("allocated", ErrorCode.OUT_OF_RANGE)
    # A zero-won line and edits that do not raise the total still go through.
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.create(scope, {**LINE, "allocated": 0})
        await budget_lines.update(scope, first, {"note": "한도", "allocated": MAX_WON - 100})
    assert (await BudgetLine.all().count(), await _total()) == (3, MAX_WON)


async def test_archived_lines_count_so_no_restore_can_overflow(program: None) -> None:
    big = await _create({**LINE, "allocated": MAX_WON})
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.archive(scope, big)
    [error] = await _refused_create({**LINE, "allocated": 1})
    assert error.code is ErrorCode.OUT_OF_RANGE
    async with write_scope(SYSTEM_ACTOR) as scope:
        restored = await budget_lines.restore(scope, big)
    assert restored.archived_at is None


async def test_data_stored_before_the_rule_can_be_lowered_but_not_restored_over_it(program: None) -> None:
    # Two lines of MAX_WON written around the service layer, as an older database may hold them.
    program_id = (await Program.get(code="P1")).id
    live, archived = [
        await BudgetLine.create(
            program_id=program_id, fiscal_year=2025, funder=Funder.CITY, allocated=MAX_WON
        )
        for _ in range(2)
    ]
    await BudgetLine.filter(id=archived.id).update(archived_at=live.created_at)
    [error] = await _refused_restore(archived)
    assert (error.field, error.code) == ("allocated", ErrorCode.OUT_OF_RANGE)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, live, {"note": "감액 예정"})
        await budget_lines.update(scope, live, {"allocated": 5})
    assert [e.code for e in await _refused_restore(archived)] == [ErrorCode.OUT_OF_RANGE]
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, live, {"allocated": 0})
        await budget_lines.restore(scope, archived)
    assert await _total() == MAX_WON


async def test_one_scope_of_many_writes_keeps_its_running_total(program: None) -> None:
    # As a sheet import does: many lines in one transaction, a refused row skipped, the rest go on.
    async with write_scope(SYSTEM_ACTOR) as scope:
        first = await budget_lines.create(scope, {**LINE, "allocated": MAX_WON})
        await budget_lines.update(scope, first, {"allocated": MAX_WON - 10})
        await budget_lines.create(scope, {**LINE, "allocated": 4})
        with pytest.raises(ValidationFailed):
            await budget_lines.create(scope, {**LINE, "allocated": 7})
        await budget_lines.create(scope, {**LINE, "allocated": 6})
        with pytest.raises(ValidationFailed):
            await budget_lines.create(scope, {**LINE, "allocated": 1})
    assert await _total() == MAX_WON
