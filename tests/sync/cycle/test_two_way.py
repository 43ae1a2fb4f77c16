"""Edits on either side reach the other; rows are found by ID; API calls per cycle are bounded."""

from __future__ import annotations

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.school import School
from models.services import budget_lines, schools
from models.services.write_scope import write_scope
from tests.sync.conftest import World, add_line, add_program, add_school


async def _update_school(school_id: int, **changes: object) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=school_id), changes)  # type: ignore[arg-type]


async def test_staff_edit_reaches_the_database(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    world.tab("학교").update([["620"]], "F2", raw=False)
    report = await world.cycle()
    assert (await School.get(id=school_id)).students == 620
    assert report.counts["sheet->db"] == 1


async def test_api_edit_reaches_the_sheet_in_one_cycle(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    await _update_school(school_id, name="미사강변초등학교")
    await world.cycle()
    assert world.rows("학교")[1][2] == "미사강변초등학교"


async def test_api_calls_per_cycle_idle_and_busy(world: World) -> None:
    for i in range(30):
        await add_school(code=f"75300{i:02d}", name=f"학교{i}")
    await world.settle()
    world.emulator.clear_log()
    idle = await world.cycle()
    assert idle.idle and dict(world.emulator.request_counts()) == {"drive.files.get": 1}
    world.tab("학교").update([["1"], ["2"], ["3"]], "F2:F4", raw=False)
    school_ids = [s.pk for s in await School.all().order_by("id")]
    for school_id in school_ids[10:20]:
        await _update_school(school_id, district="위례")
    world.emulator.clear_log()
    busy = await world.cycle()
    counts = world.emulator.request_counts()
    assert counts["sheets.spreadsheets.get"] == 1
    assert counts["sheets.spreadsheets.values.batchUpdateByDataFilter"] == 1
    assert counts["sheets.spreadsheets.batchUpdate"] <= 1
    assert sum(counts.values()) <= 4, counts
    assert busy.counts["sheet->db"] == 3 and busy.counts["db->sheet"] == 10


async def test_sorting_and_inserting_rows_never_remaps_records(world: World) -> None:
    a = await add_school(code="7530001", name="가초등학교", students=100)
    b = await add_school(code="7530002", name="나초등학교", students=200)
    await world.settle()
    tab = world.tab("학교")
    tab.sort((3, "des"), range="A2:F3")  # 나 first
    tab.insert_row(["", "", "", "", "", ""], index=2)
    rows = world.rows("학교")
    row_of = {r[0]: i + 1 for i, r in enumerate(rows) if r and r[0]}
    tab.update([["999"]], f"F{row_of[str(a)]}", raw=False)
    await _update_school(b, students=250)
    await world.cycle()
    await world.settle()
    assert (await School.get(id=a)).students == 999
    assert (await School.get(id=b)).students == 250
    rows = world.rows("학교")
    assert rows[row_of[str(b)] - 1][5] == "250"


async def test_values_from_the_api_are_written_raw(world: World) -> None:
    await add_program()
    line_id = await add_line()
    await world.settle()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, await BudgetLine.get(id=line_id), {"note": "=1+2"})
    await world.cycle()
    row = world.emulator.values(world.key, "'예산'!A2:G2")[0]
    assert row[6] == "=1+2"  # text, not 3
    await world.settle()
    assert (await BudgetLine.get(id=line_id)).note == "=1+2"


async def test_money_typed_with_commas_won_and_codes_with_zeros(world: World) -> None:
    await add_program(code="007")
    await world.settle()
    world.tab("예산").update(
        [["", "'007", "2025", "하남시", "1,234,000원", "5,000", "비고"]], "A2", raw=False
    )
    await world.cycle()
    line = await BudgetLine.get()
    assert (line.allocated, line.executed, line.note) == (1_234_000, 5_000, "비고")
    # The worker writes codes RAW as text, so the zeros it wrote survive too.
    assert world.rows("사업")[1][1] == "007"


async def test_formula_cells_are_never_overwritten(world: World) -> None:
    await add_program()
    line_id = await add_line(allocated=1000)
    await world.settle()
    world.tab("예산").update([["=500+500"]], "E2", raw=False)
    await world.cycle()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, await BudgetLine.get(id=line_id), {"allocated": 3000})
    await world.cycle()
    formula = world.emulator.values(world.key, "'예산'!E2", render="FORMULA")[0][0]
    assert formula == "=500+500"


async def test_appends_to_a_full_grid_add_rows(world: World) -> None:
    [grid] = await world.gateway.read(world.key, ["학교"])
    shrink = {
        "properties": {"sheetId": grid.sheet_id, "gridProperties": {"rowCount": 1}},
        "fields": "gridProperties.rowCount",
    }
    await world.gateway.batch_update(world.key, [{"updateSheetProperties": shrink}])
    ids = [await add_school(code=f"753000{i}", name=f"학교{i}") for i in range(3)]
    await world.settle()
    assert [r[0] for r in world.rows("학교")[1:]] == [str(i) for i in ids]
