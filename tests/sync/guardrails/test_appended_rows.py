"""Rows the worker appends have their guardrails in the cycle that writes them, at no extra
request: below a bare header (a first import longer than the margin) and in a full grid
(``appendDimension``, which inherits nothing). Real gspread against the emulator."""

from __future__ import annotations

from typing import Any

from sync.cycle import run_cycle
from tests.sync.conftest import World, add_line, add_program, add_school
from tests.sync.guardrails.test_guardrails_cycle import _format, _rule, _sheet

WRITES = ("sheets.spreadsheets.values.batchUpdateByDataFilter", "sheets.spreadsheets.batchUpdate")


def _level_rules(sheet: dict[str, Any], rows: range) -> list[bool]:
    return [_rule(sheet, row - 1, 3) is not None for row in rows]  # 학교급 of 1-based ``rows``


async def test_a_first_import_longer_than_the_margin_is_covered_in_its_own_cycle(world: World) -> None:
    for i in range(70):
        await add_school(code=f"75310{i:02d}", name=f"학교{i}")
    world.emulator.clear_log()
    report = await run_cycle(world.gateway, world.sheet)
    assert report.succeeded and report.counts["appended"] >= 70, str(report)
    assert world.emulator.request_counts()["sheets.spreadsheets.batchUpdate"] == 1  # the one it had
    school = _sheet(world, "학교")
    assert all(_level_rules(school, range(2, 72))), _level_rules(school, range(2, 72))
    assert _rule(school, 71 + 49, 3) is not None  # the margin below the new last row too
    world.emulator.clear_log()
    await world.cycle()  # the confirming read finds every row covered: nothing to put back
    assert "sheets.spreadsheets.batchUpdate" not in world.emulator.request_counts()


async def test_rows_appended_to_a_full_grid_are_covered_in_the_cycle_that_adds_them(world: World) -> None:
    await add_school()
    await add_program()
    await add_line()
    await world.settle()
    world.tab("예산").resize(rows=2)  # the grid ends at the last data row: appends use appendDimension
    await world.settle()
    await add_line(allocated=8_000_000)
    world.emulator.clear_log()
    report = await run_cycle(world.gateway, world.sheet)
    assert report.succeeded and report.counts["appended"] == 1, str(report)
    assert all(world.emulator.request_counts()[m] <= 1 for m in WRITES)
    budget = _sheet(world, "예산")
    assert budget["properties"]["gridProperties"]["rowCount"] == 3
    assert _rule(budget, 2, 3) is not None  # 재원 on the new row 3
    assert _rule(budget, 2, 1) is not None  # 사업코드 checked against 사업
    assert _format(budget, 2, 4) == {"type": "NUMBER", "pattern": "#,##0"}  # 배정액
    world.emulator.clear_log()
    await world.cycle()
    assert "sheets.spreadsheets.batchUpdate" not in world.emulator.request_counts()


async def test_a_header_only_grid_gets_its_first_row_and_every_guardrail_in_one_cycle(world: World) -> None:
    world.tab("학교").resize(rows=1)  # nothing below the header: frozen rows must wait for a second row
    await add_school()
    world.emulator.clear_log()
    report = await run_cycle(world.gateway, world.sheet)
    assert report.succeeded and report.counts["appended"] == 1, str(report)
    school = _sheet(world, "학교")
    grid = school["properties"]["gridProperties"]
    assert (grid["rowCount"], grid.get("frozenRowCount")) == (2, 1)
    assert _rule(school, 1, 3) is not None  # 학교급 on the new row 2
