from datetime import date

from models.agreement import Agreement
from models.allocation import Allocation, AllocationShare
from models.budget_line import BudgetLine
from models.enums import BudgetStage, Funder, ProgramCategory
from models.partner import Partner
from models.program import Program
from models.program_session import ProgramSession
from models.sample_data import load_sample_data
from models.school import School
from models.services import program_sessions
from models.supplementary_agreement import SupplementaryAgreement


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


async def test_sample_2025_lines_are_executed_or_settled_with_carry_over_to_close(db: str) -> None:
    await load_sample_data()
    past = await BudgetLine.filter(fiscal_year=2025)
    stages = {line.stage for line in past}
    assert (
        {BudgetStage.EXECUTED, BudgetStage.SETTLED}
        <= stages
        <= {
            BudgetStage.AGREED,
            BudgetStage.EXECUTED,
            BudgetStage.SETTLED,
        }
    )
    settled = [line for line in past if line.stage == BudgetStage.SETTLED]
    assert 5 <= len(settled) < len(past) // 4
    assert all(line.unused == line.budget_current - line.executed - line.carried_out for line in settled)
    carrying = [line for line in past if line.carried_out and line.stage != BudgetStage.SETTLED]
    assert len(carrying) >= 20  # close-year has money to carry
    for line in await BudgetLine.all():
        assert line.executed <= line.budget_current and line.disbursed <= line.budget_current
        assert line.carried_out <= line.budget_current - line.executed
    current = {line.stage for line in await BudgetLine.filter(fiscal_year=2026)}
    assert {BudgetStage.DISBURSED, BudgetStage.EXECUTED} <= current and BudgetStage.SETTLED not in current


async def test_sample_has_thirty_invented_partners_and_a_year_of_invented_sessions(db: str) -> None:
    counts = await load_sample_data()
    partners = await Partner.all()
    assert counts.partners == len(partners) == 30
    assert all(partner.name.endswith("(예시)") for partner in partners)
    sessions = await ProgramSession.all().prefetch_related("program")
    assert counts.sessions == len(sessions) and 350 <= len(sessions) <= 450
    assert all(session.note.startswith("(예시)") for session in sessions)
    assert {session.held_on.year for session in sessions} == {2025}
    assert all(session.program.fiscal_year == 2025 for session in sessions)
    assert sum(program_sessions.participants(s) for s in sessions) > 0
    assert all(min(s.elementary, s.middle, s.high, s.special) >= 0 for s in sessions)
    hosted = [s for s in sessions if s.partner_id is not None]
    assert 0 < len(hosted) < len(sessions)  # some hosted by a partner, others at a place
    assert all(s.place for s in sessions if s.partner_id is None)


async def test_sample_has_one_invented_agreement_whose_allocations_match_the_budget_lines(db: str) -> None:
    counts = await load_sample_data()
    [agreement] = await Agreement.all()
    assert (agreement.term_start, agreement.term_end) == (date(2025, 1, 1), date(2026, 12, 31))
    assert "하남시" in agreement.parties and "경기도광주하남교육지원청" in agreement.parties
    supplements = await SupplementaryAgreement.all().order_by("code")
    assert len(supplements) == 2
    for title, note in [(agreement.title, agreement.note), *((s.title, s.note) for s in supplements)]:
        assert title.endswith("(예시)") and note.startswith("(예시)")
    allocations = await Allocation.all()
    assert counts.allocations == len(allocations) == await Program.all().count()  # one per program and year
    assert {a.fiscal_year for a in allocations} == {2025, 2026}
    lines: dict[tuple[int, int], dict[str, int]] = {}
    for line in await BudgetLine.all():
        per_funder = lines.setdefault((line.program_id, line.fiscal_year), {})
        per_funder[str(line.funder)] = per_funder.get(str(line.funder), 0) + line.allocated
    shares: dict[int, dict[str, int]] = {}
    for share in await AllocationShare.all():
        shares.setdefault(share.allocation_id, {})[str(share.funder)] = share.amount
    for allocation in allocations:
        assert shares[allocation.pk] == lines[(allocation.program_id, allocation.fiscal_year)]
        assert sum(shares[allocation.pk].values()) == allocation.total
    by_year = {s.pk: int(s.code[-1]) + 2024 for s in supplements}  # S1 fixes 2025, S2 2026
    assert all(by_year[a.supplementary_agreement_id] == a.fiscal_year for a in allocations)
