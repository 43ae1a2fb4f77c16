"""Guardrails through real cycles: real gspread (worker and staff) against the emulator."""

from __future__ import annotations

from typing import Any

from models.school import School
from models.sync_state import SyncIssue
from sync.guardrails import protection
from tests.sync.conftest import World, add_line, add_program, add_school


def _sheet(world: World, title: str) -> dict[str, Any]:
    """The tab's metadata and grid as staff's gspread reads it (with the fields it asks for)."""
    body = world.staff.fetch_sheet_metadata(
        params={
            "ranges": f"'{title}'",
            "fields": "sheets(properties,protectedRanges,"
            "data(rowData(values(dataValidation,userEnteredFormat))))",
        }
    )
    return dict(body["sheets"][0])


def _rule(sheet: dict[str, Any], row: int, column: int) -> dict[str, Any] | None:
    rows = sheet["data"][0].get("rowData", [])
    values = rows[row].get("values", []) if row < len(rows) else []
    return values[column].get("dataValidation") if column < len(values) else None


def _format(sheet: dict[str, Any], row: int, column: int) -> dict[str, Any] | None:
    rows = sheet["data"][0].get("rowData", [])
    values = rows[row].get("values", []) if row < len(rows) else []
    cell = values[column] if column < len(values) else {}
    return (cell.get("userEnteredFormat") or {}).get("numberFormat")


async def _seed() -> None:
    await add_school()
    await add_program()
    await add_line()


async def test_guardrails_appear_after_the_first_cycle(world: World) -> None:
    await _seed()
    await world.settle()
    school = _sheet(world, "학교")
    assert school["properties"]["gridProperties"]["frozenRowCount"] == 1
    level = _rule(school, 1, 3)  # 학교급, row 2
    assert level is not None and level["condition"]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in level["condition"]["values"]] == [
        "초등학교",
        "중학교",
        "고등학교",
        "특수학교",
    ]
    assert not level.get("strict", False)
    assert _rule(school, 1, 2) is None  # 학교명 is free text
    budget = _sheet(world, "예산")
    assert _format(budget, 1, 4) == {"type": "NUMBER", "pattern": "#,##0"}  # 배정액
    assert _rule(budget, 1, 3)["condition"]["values"][0] == {"userEnteredValue": "하남시"}  # type: ignore[index]
    ids = [p for p in school["protectedRanges"] if p.get("description") == protection.ID_COLUMN]
    assert len(ids) == 1 and ids[0]["warningOnly"] is True
    assert ids[0]["range"].get("startColumnIndex", 0) == 0 and ids[0]["range"]["endColumnIndex"] == 1
    issues = _sheet(world, "동기화 오류")
    assert [p["description"] for p in issues["protectedRanges"]] == [protection.OWNED_TAB]


async def test_an_idle_cycle_costs_no_guardrail_request(world: World) -> None:
    await _seed()
    await world.settle()
    world.emulator.clear_log()
    idle = await world.cycle()
    assert idle.idle and dict(world.emulator.request_counts()) == {"drive.files.get": 1}
    # A staff edit that leaves the guardrails standing: the read finds them, nothing is resent.
    world.tab("학교").update([["620"]], "F2", raw=False)
    world.emulator.clear_log()
    busy = await world.cycle()
    assert busy.counts["sheet->db"] == 1
    assert "sheets.spreadsheets.batchUpdate" not in world.emulator.request_counts()


async def test_removed_guardrails_come_back_next_cycle(world: World) -> None:
    await _seed()
    await world.settle()
    tab = world.tab("학교")
    tab.freeze(rows=0)
    for found in _sheet(world, "학교")["protectedRanges"]:
        tab.delete_protected_range(found["protectedRangeId"])
    world.staff.batch_update(
        {
            "requests": [
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": tab.id,
                            "startRowIndex": 1,
                            "startColumnIndex": 3,
                            "endColumnIndex": 4,
                        }
                    }
                }
            ]
        }
    )
    world.tab("예산").format("E2:E", {"numberFormat": {"type": "TEXT"}})
    assert _rule(_sheet(world, "학교"), 1, 3) is None
    await world.settle()
    school = _sheet(world, "학교")
    assert school["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert _rule(school, 1, 3) is not None
    assert [p["description"] for p in school["protectedRanges"]] == [protection.ID_COLUMN]
    assert _format(_sheet(world, "예산"), 1, 4) == {"type": "NUMBER", "pattern": "#,##0"}


async def test_rows_the_worker_appends_inherit_the_guardrails(world: World) -> None:
    await _seed()
    await world.settle()
    await add_school(code="7530002", name="위례초등학교")
    await world.cycle()
    world.emulator.clear_log()
    await world.cycle()  # the confirming read finds the new row covered: nothing to put back
    assert "sheets.spreadsheets.batchUpdate" not in world.emulator.request_counts()
    assert _rule(_sheet(world, "학교"), 2, 3) is not None


async def test_code_columns_are_checked_against_the_defining_tabs(world: World) -> None:
    await _seed()
    await world.settle()
    school_code = _rule(_sheet(world, "사업"), 1, 4)  # 학교코드 on 사업
    assert school_code is not None and not school_code.get("strict", False)
    assert school_code["condition"] == {
        "type": "ONE_OF_RANGE",
        "values": [{"userEnteredValue": "='학교'!B2:B"}],
    }
    program_code = _rule(_sheet(world, "예산"), 1, 1)  # 사업코드 on 예산
    assert program_code is not None
    assert program_code["condition"]["values"] == [{"userEnteredValue": "='사업'!B2:B"}]
    assert _rule(_sheet(world, "학교"), 1, 1) is None  # the defining column itself is free


async def test_a_renamed_tab_is_followed_and_noted(world: World) -> None:
    school_id = await add_school()
    await world.settle()
    tab = world.tab("학교")
    tab.update_title("학교 명단")
    tab.update([["미사강변초등학교"]], "C2", raw=False)
    report = await world.cycle()
    assert report.counts["sheet->db"] == 1  # the edit in the renamed tab synced
    assert (await School.get(id=school_id)).name == "미사강변초등학교"
    [issue] = await SyncIssue.filter(code="TAB_RENAMED", resolved_at=None)
    assert "'학교'" in issue.problem and "'학교 명단'" in issue.problem
    # Known now: later cycles read it under its new title at no extra call.
    tab.update([["600"]], "F2", raw=False)
    world.emulator.clear_log()
    await world.cycle()
    assert world.emulator.request_counts()["sheets.spreadsheets.get"] == 1
    assert (await School.get(id=school_id)).students == 600
    # 학교코드 on 사업 now points at the tab by its new name.
    assert _rule(_sheet(world, "사업"), 1, 4)["condition"]["values"] == [  # type: ignore[index]
        {"userEnteredValue": "='학교 명단'!B2:B"}
    ]


async def test_code_list_rules_stay_right_after_a_rename_without_being_resent(world: World) -> None:
    await _seed()
    await world.settle()
    world.tab("학교").update_title("Schools")  # Google points the rules at it, unquoted
    await world.settle()
    # The worker took Google's rewritten rule for its own: left as Google wrote it, not resent.
    assert _rule(_sheet(world, "사업"), 1, 4)["condition"]["values"] == [  # type: ignore[index]
        {"userEnteredValue": "=Schools!B2:B"}
    ]
    await add_program(code="P-002")  # and a new row is checked against the renamed tab too
    await world.settle()
    assert _rule(_sheet(world, "사업"), 2, 4)["condition"]["values"] == [  # type: ignore[index]
        {"userEnteredValue": "=Schools!B2:B"}
    ]
