"""The offline demo: the sample data lives once, written out to the sample sheet, and a cell
edit there reaches the database (what `eduhub serve` shows through GraphQL)."""

from __future__ import annotations

from models.budget_line import BudgetLine
from models.partner import Partner
from models.program import Program
from models.program_session import ProgramSession
from models.sample_data import load_sample_data
from models.school import School
from models.sync_state import SyncIssue
from tests.sync.conftest import World


async def test_sample_data_is_written_out_once_and_edits_come_back(world: World) -> None:
    await load_sample_data()
    first = await world.cycle(progress=True)
    assert (
        first.counts["appended"]
        == await School.all().count()
        + await Program.all().count()
        + await BudgetLine.all().count()
        + await Partner.all().count()
        + await ProgramSession.all().count()
    )
    await world.settle()
    assert await SyncIssue.filter(resolved_at=None).count() == 0
    assert len(world.rows("학교")) - 1 == await School.all().count()
    assert len(world.rows("사업")) - 1 == await Program.all().count()
    assert len(world.rows("예산")) - 1 == await BudgetLine.all().count()
    assert len(world.rows("교육자원")) - 1 == await Partner.all().count() == 30
    assert len(world.rows("운영 실적")) - 1 == await ProgramSession.all().count() == 420
    line_id = int(world.rows("예산")[1][0])
    world.tab("예산").update([["비고 수정"]], "G2", raw=False)
    await world.cycle()
    assert (await BudgetLine.get(id=line_id)).note == "비고 수정"
    assert len(world.rows("요약")) > 1
