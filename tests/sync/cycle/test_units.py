"""Amounts kept in 천원 in the sheet, as the mapping file says: typed as staff type them, written
back exactly, and a won-exact figure from the API survives the round trip unchanged."""

from __future__ import annotations

from pathlib import Path

from gspread.utils import ValueRenderOption

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.services import budget_lines
from models.services.write_scope import write_scope
from sync.cycle import run_cycle
from sync.mapping import DEFAULT_MAPPING_FILE, SpreadsheetMapping, load
from tests.sync.conftest import World, add_line, add_program, add_school


def _thousands_mapping(folder: Path) -> SpreadsheetMapping:
    """The shipped mapping with 배정액 kept in 천원 (a copy of the file, as an office would make)."""
    text = DEFAULT_MAPPING_FILE.read_text(encoding="utf-8").replace(
        'header = "배정액", kind = "won"', 'header = "배정액", kind = "won", unit = "천원"'
    )
    assert 'unit = "천원"' in text
    path = folder / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return load(path).spreadsheets[0]


async def test_amounts_in_thousands_of_won(world: World, tmp_path: Path) -> None:
    sheet = _thousands_mapping(tmp_path)

    async def cycle() -> dict[str, int]:
        report = await run_cycle(world.gateway, sheet)
        assert report.succeeded, str(report)
        return dict(report.counts)

    await add_school()
    await add_program(school_code="7530001")
    line_id = await add_line(allocated=5_000_000, executed=1_234_567)
    await cycle()
    header = world.rows("예산")[0]
    allocated_col, executed_col = header.index("배정액"), header.index("집행액")
    row = world.rows("예산")[1]
    # The 원 column shows the guardrails' #,##0 format; the 천원 one is left unformatted.
    assert (row[allocated_col], row[executed_col]) == ("5000", "1,234,567")

    # Staff type thousands, with separators, or say 원 outright.
    cell = f"{chr(ord('A') + allocated_col)}2"
    world.tab("예산").update([["7,500"]], cell, raw=False)
    await cycle()
    assert (await BudgetLine.get(id=line_id)).allocated == 7_500_000
    world.tab("예산").update([["8,250,000원"]], cell, raw=False)
    await cycle()
    assert (await BudgetLine.get(id=line_id)).allocated == 8_250_000
    assert world.rows("예산")[1][allocated_col] == "8,250,000원"  # staff's text is left as typed

    # A won-exact amount from the API is written as an exact fraction of 천원 and read back whole.
    async with write_scope(SYSTEM_ACTOR) as scope:
        line = await BudgetLine.get(id=line_id)
        await budget_lines.update(scope, line, {"allocated": 9_876_543})
    await cycle()
    exact: object = world.tab("예산").acell(cell, value_render_option=ValueRenderOption.unformatted).value
    assert exact == 9876.543
    # Staff see it through the cell's number format from their earlier typing, as on Google.
    assert world.rows("예산")[1][allocated_col] == "9,877"
    for _ in range(2):
        counts = await cycle()
        assert counts.get("sheet->db", 0) == 0
    assert (await BudgetLine.get(id=line_id)).allocated == 9_876_543
