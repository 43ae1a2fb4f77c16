"""The 예산 tab's stage and carry-over columns through real cycles (gspread against the emulator).

Columns (sample sheet): A ID, B 사업코드, C 연도, D 재원, E 배정액, F 집행액, G 비고, H 단계,
I 교부액, J 전년도 이월액, K 이월액, L 불용액, M 예산현액 (L and M written by the worker only).
"""

from __future__ import annotations

from typing import Any

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import BudgetStage
from models.services import budget_lines
from models.services.carry_over import carry_over
from models.services.write_scope import write_scope
from models.sync_state import SyncIssue
from sync.cycle import run_with_follow_ups
from sync.emulator.seed import SAMPLE_TABS
from sync.google_transport import open_client
from sync.guardrails import protection
from tests.sync.conftest import World, add_line, add_program
from tests.sync.guardrails.test_guardrails_cycle import _format, _rule, _sheet

STAGE, DISBURSED, CARRIED_IN, CARRIED_OUT, UNUSED, CURRENT = 7, 8, 9, 10, 11, 12


def _row(world: World, line_id: int) -> list[Any]:
    [row] = [r for r in world.rows("예산")[1:] if r and r[0] == str(line_id)]
    return row + [""] * (13 - len(row))


async def test_database_figures_reach_the_sheet_and_carry_over_shows_there(world: World) -> None:
    await add_program()
    line_id = await add_line(allocated=10_000_000, executed=6_000_000)
    async with write_scope(SYSTEM_ACTOR) as scope:
        line = await BudgetLine.get(id=line_id)
        await budget_lines.update(
            scope, line, {"stage": BudgetStage.EXECUTED, "disbursed": 8_000_000, "carried_in": 500_000}
        )
    await world.settle()
    row = _row(world, line_id)
    assert (row[STAGE], row[DISBURSED], row[CARRIED_IN], row[CURRENT]) == (
        "집행",
        "8,000,000",
        "500,000",
        "10,500,000",
    )
    async with write_scope(SYSTEM_ACTOR) as scope:
        await carry_over(scope, line_id, 3_000_000)
    await world.settle()
    row = _row(world, line_id)
    assert (row[STAGE], row[CARRIED_OUT], row[UNUSED]) == ("정산", "3,000,000", "1,500,000")
    [following] = await BudgetLine.filter(fiscal_year=2026)
    assert _row(world, following.id)[CARRIED_IN] == "3,000,000"


async def test_staff_edits_of_stage_and_amounts_sync_and_move_budget_current_at_once(world: World) -> None:
    await add_program()
    line_id = await add_line(allocated=5_000_000)
    await world.settle()
    number = next(i for i, r in enumerate(world.rows("예산"), start=1) if r and r[0] == str(line_id))
    tab = world.tab("예산")
    tab.update([["교부", "4,000,000", "1,000,000", "500,000"]], f"H{number}", raw=False)
    tab.update([["7,000,000"]], f"E{number}", raw=False)
    await world.cycle()
    line = await BudgetLine.get(id=line_id)
    assert (line.stage, line.disbursed, line.carried_in, line.carried_out, line.allocated) == (
        BudgetStage.DISBURSED,
        4_000_000,
        1_000_000,
        500_000,
        7_000_000,
    )
    assert _row(world, line_id)[CURRENT] == "8,000,000"  # in the same cycle as the 배정액 edit
    # Worker-owned cells: what staff type there is put back.
    tab.update([["999", "1"]], f"L{number}", raw=False)
    await world.settle()
    row = _row(world, line_id)
    assert (row[UNUSED], row[CURRENT]) == ("0", "8,000,000")
    assert (await BudgetLine.get(id=line_id)).unused == 0


async def test_bad_cells_hold_back_only_their_row(world: World) -> None:
    await add_program()
    ids = [await add_line(allocated=5_000_000) for _ in range(4)]
    await world.settle()
    numbers = {
        int(r[0]): i
        for i, r in enumerate(world.rows("예산"), start=1)
        if r and r[0].isdigit() and int(r[0]) in ids
    }
    tab = world.tab("예산")
    tab.update([["-1"]], f"K{numbers[ids[0]]}", raw=False)  # negative 이월액
    tab.update([["끝남"]], f"H{numbers[ids[1]]}", raw=False)  # unknown 단계
    tab.update([["6,000,000"]], f"F{numbers[ids[2]]}", raw=False)  # 집행액 over 예산현액
    tab.update([["집행", "", "", "", "", "", ""]], f"H{numbers[ids[3]]}", raw=False)  # a good edit
    tab.update([["4,000,000"]], f"F{numbers[ids[3]]}", raw=False)
    await world.cycle()
    issues = {i.row_key: i for i in await SyncIssue.filter(resolved_at=None, tab="예산")}
    assert {key: issue.code for key, issue in issues.items()} == {
        str(ids[0]): "NEGATIVE_AMOUNT",
        str(ids[1]): "UNKNOWN_LABEL",
        str(ids[2]): "EXECUTED_OVER_ALLOCATED",
    }
    assert "끝남" in issues[str(ids[1])].problem and "집행" in issues[str(ids[1])].problem
    assert "예산현액" in issues[str(ids[2])].problem
    assert "0 이상" in issues[str(ids[0])].problem
    lines = {line.id: line for line in await BudgetLine.all()}
    assert (lines[ids[0]].carried_out, lines[ids[1]].stage, lines[ids[2]].executed) == (
        0,
        BudgetStage.PLANNED,
        0,
    )
    assert (lines[ids[3]].stage, lines[ids[3]].executed) == (BudgetStage.EXECUTED, 4_000_000)


async def test_the_stage_column_gets_a_dropdown_and_the_new_amounts_the_won_format(world: World) -> None:
    await add_program()
    await add_line()
    await world.settle()
    budget = _sheet(world, "예산")
    stage = _rule(budget, 1, STAGE)
    assert stage is not None
    assert [v["userEnteredValue"] for v in stage["condition"]["values"]] == [
        "계획",
        "확정",
        "교부",
        "집행",
        "정산",
    ]
    for column in (DISBURSED, CARRIED_IN, CARRIED_OUT, UNUSED, CURRENT):
        assert _format(budget, 1, column) == {"type": "NUMBER", "pattern": "#,##0"}, column
    owned = [p["range"] for p in budget["protectedRanges"] if p.get("description") == protection.OWNED_COLUMN]
    assert sorted(r["startColumnIndex"] for r in owned) == [UNUSED, CURRENT]
    assert all(p.get("warningOnly") for p in budget["protectedRanges"])


async def test_a_sheet_made_before_the_new_columns_keeps_syncing_and_loses_nothing(world: World) -> None:
    old = {**SAMPLE_TABS, "예산": [["ID", "사업코드", "연도", "재원", "배정액", "집행액", "비고"]]}
    key = "1OldBudgetSheet00000000000000000000000000000"
    world.emulator.create_spreadsheet("옛 시트", old, key=key)
    sheet = world.sheet.model_copy(update={"key": key})
    await add_program()
    line_id = await add_line(allocated=5_000_000, executed=1_000_000)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, await BudgetLine.get(id=line_id), {"carried_in": 2_000_000})

    for _ in range(3):
        report = await run_with_follow_ups(world.gateway, sheet)
        assert report.succeeded, str(report)
    rows = world.emulator.values(key, "'예산'")
    assert rows[1][:6] == [str(line_id), "P-001", "2025", "하남시", "5,000,000", "1,000,000"]
    assert not await SyncIssue.filter(resolved_at=None, tab="예산").exists()  # no MISSING_COLUMN noise
    staff = open_client(credentials_file=None, api_url=world.server.url).open_by_key(key).worksheet("예산")
    staff.update([["4,000,000"]], "E2", raw=False)  # an edit in an old column still syncs
    report = await run_with_follow_ups(world.gateway, sheet)
    assert report.succeeded
    assert (await BudgetLine.get(id=line_id)).allocated == 4_000_000
    # Staff add the new headers: blank cells fill from the database, nothing is cleared.
    staff.update([["단계", "전년도 이월액", "예산현액"]], "H1", raw=False)
    for _ in range(3):
        assert (await run_with_follow_ups(world.gateway, sheet)).succeeded
    line = await BudgetLine.get(id=line_id)
    assert (line.carried_in, line.allocated, line.stage) == (2_000_000, 4_000_000, BudgetStage.PLANNED)
    assert world.emulator.values(key, "'예산'")[1][7:10] == ["계획", "2,000,000", "6,000,000"]


async def test_a_settled_line_and_the_settled_stage_refuse_sheet_edits_on_their_row_only(
    world: World,
) -> None:
    await add_program()
    settled_id = await add_line(allocated=5_000_000, executed=1_000_000)
    open_id = await add_line(allocated=5_000_000)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await carry_over(scope, settled_id, 0)
    await world.settle()
    numbers = {int(r[0]): i for i, r in enumerate(world.rows("예산"), start=1) if r and r[0].isdigit()}
    tab = world.tab("예산")
    tab.update([["9,000,000"]], f"E{numbers[settled_id]}", raw=False)  # 배정액 of a settled line
    tab.update([["정산"]], f"H{numbers[open_id]}", raw=False)  # 정산 typed by hand
    tab.update([["메모"]], f"G{numbers[open_id]}", raw=False)
    await world.cycle()
    issues = {i.row_key: i.code for i in await SyncIssue.filter(resolved_at=None, tab="예산")}
    assert issues == {str(settled_id): "SETTLED", str(open_id): "STAGE_NOT_ALLOWED"}
    settled, still_open = await BudgetLine.get(id=settled_id), await BudgetLine.get(id=open_id)
    assert (settled.allocated, settled.unused) == (5_000_000, 4_000_000)
    assert still_open.stage == BudgetStage.PLANNED


async def test_a_row_staff_add_gets_its_budget_current_and_a_blank_stage_is_the_first(world: World) -> None:
    await add_program()
    await world.settle()
    world.tab("예산").update(
        [["", "P-001", "2025", "하남시", "3,000,000", "0", "새 예산", "", "", "250,000"]], "A2", raw=False
    )
    await world.settle()
    [line] = await BudgetLine.all()
    assert (line.stage, line.allocated, line.carried_in, line.note) == (
        BudgetStage.PLANNED,
        3_000_000,
        250_000,
        "새 예산",
    )
    row = _row(world, line.id)
    assert (row[STAGE], row[CURRENT], row[UNUSED]) == ("계획", "3,250,000", "0")
