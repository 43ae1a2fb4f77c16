from models.budget_line import BudgetLine
from models.enums import Funder, ProgramCategory
from models.program import Program
from models.sample_data import load_sample_data
from models.school import School


async def test_sample_is_realistic_and_loads_once(db: str) -> None:
    counts = await load_sample_data()
    assert 35 <= counts.schools <= 45 and 130 <= counts.programs <= 170 and 500 <= counts.budget_lines <= 700
    assert {line.funder for line in await BudgetLine.all()} == set(Funder)
    assert {program.category for program in await Program.all()} == set(ProgramCategory)
    assert {line.fiscal_year for line in await BudgetLine.all()} == {2025, 2026}
    assert all(line.executed <= line.allocated for line in await BudgetLine.all())
    again = await load_sample_data()
    assert again.schools == 0
    assert await School.all().count() == counts.schools
