"""The pure merge engine, rule by rule (DESIGN.md "Sync semantics")."""

from __future__ import annotations

from typing import Any

from sync.mapping import Direction, Side, load
from sync.merge import DbRecord, MergeInput, merge
from sync.table import read

SHEET = load().spreadsheets[0]
SCHOOLS = SHEET.tabs[0]
HEADER = ["ID", "학교코드", "학교명", "학교급", "권역", "학생수"]


def school(code: str = "7530001", name: str = "미사초", students: int = 500) -> dict[str, Any]:
    return {"code": code, "name": name, "level": "ELEMENTARY", "district": "미사", "students": students}


def row(key: str, s: dict[str, Any]) -> list[Any]:
    return [key, s["code"], s["name"], "초등학교", s["district"], s["students"]]


def run(cells: list[list[Any]], state: MergeInput, **kw: Any) -> Any:
    return merge(SHEET, read(SCHOOLS, [HEADER, *cells]), state, **kw)


def test_sheet_only_change_goes_to_database() -> None:
    base = school()
    plan = run([row("1", school(students=600))], MergeInput({"1": (1, base)}, {}))
    assert plan.updates[0].to_db == {"students": 600}
    assert plan.updates[0].to_sheet == {}
    assert plan.updates[0].snapshot["students"] == 600


def test_database_only_change_goes_to_sheet() -> None:
    base = school()
    plan = run([row("1", base)], MergeInput({"1": (1, base)}, {1: DbRecord(school(name="새이름"), False)}))
    assert plan.updates[0].to_sheet == {"name": "새이름"}
    assert plan.updates[0].to_db == {}


def test_same_change_on_both_sides_is_fine() -> None:
    base, new = school(), school(students=700)
    plan = run([row("1", new)], MergeInput({"1": (1, base)}, {1: DbRecord(new, False)}))
    u = plan.updates[0]
    assert (u.to_db, u.to_sheet, u.conflicts) == ({}, {}, [])
    assert u.snapshot["students"] == 700


def test_different_changes_make_a_conflict_sheet_wins_by_default() -> None:
    base = school()
    plan = run(
        [row("1", school(students=600))],
        MergeInput({"1": (1, base)}, {1: DbRecord(school(students=650), False)}),
    )
    u = plan.updates[0]
    assert u.to_db == {"students": 600}
    [conflict] = u.conflicts
    assert (conflict.base, conflict.sheet, conflict.database, conflict.applied_side) == (
        500,
        600,
        650,
        "SHEET",
    )


def test_database_wins_when_the_tab_says_so() -> None:
    tab = SCHOOLS.model_copy(update={"conflict_policy": Side.DATABASE})
    base = school()
    plan = merge(
        SHEET,
        read(tab, [HEADER, row("1", school(students=600))]),
        MergeInput({"1": (1, base)}, {1: DbRecord(school(students=650), False)}),
    )
    assert plan.updates[0].to_sheet == {"students": 650}
    assert plan.updates[0].conflicts[0].applied_side == "DATABASE"


def test_rows_are_found_by_id_not_position_after_a_sort() -> None:
    a, b = school("1", "가"), school("2", "나")
    state = MergeInput({"1": (1, a), "2": (2, b)}, {})
    plan = run([row("2", b), row("1", a)], state)
    assert all(not (u.to_db or u.to_sheet) for u in plan.updates)
    assert {u.key: u.row_number for u in plan.updates} == {"2": 2, "1": 3}


def test_bad_cell_holds_only_its_row() -> None:
    a, b = school("1"), school("2")
    bad = row("1", a)
    bad[5] = "많음"
    plan = run([bad, row("2", school("2", students=9))], MergeInput({"1": (1, a), "2": (2, b)}, {}))
    assert [i.code for i in plan.issues] == ["NOT_A_NUMBER"]
    assert plan.issues[0].row_number == 2 and plan.issues[0].field == "students"
    assert [u.key for u in plan.updates] == ["2"]


def test_duplicate_ids_are_issues_never_guesses() -> None:
    a = school("1")
    plan = run([row("1", a), row("1", school("9"))], MergeInput({"1": (1, a)}, {}))
    assert [i.code for i in plan.issues] == ["DUPLICATE_ID", "DUPLICATE_ID"]
    assert plan.updates == [] and plan.archives == []


def test_unknown_id_is_an_issue() -> None:
    plan = run([row("77", school())], MergeInput({}, {}))
    assert [i.code for i in plan.issues] == ["UNKNOWN_ID"]
    assert plan.creates == []


def test_new_row_without_id_is_created() -> None:
    plan = run([["", "7530009", "새학교", "중학교", "위례", "1,200"]], MergeInput({}, {}))
    assert plan.creates[0].values == {
        "code": "7530009",
        "name": "새학교",
        "level": "MIDDLE",
        "district": "위례",
        "students": 1200,
    }


def test_first_contact_matches_by_natural_key_and_never_duplicates() -> None:
    db = school("7530001", students=10)
    plan = run(
        [["", "7530001", "미사초", "초등학교", "미사", 11]], MergeInput({}, {5: DbRecord(db, False)}, {5})
    )
    assert plan.creates == [] and plan.appends == []
    u = plan.updates[0]
    assert (u.record_id, u.write_id, u.to_db) == (5, True, {"students": 11})


def test_empty_tab_is_filled_from_the_database() -> None:
    plan = run([], MergeInput({}, {5: DbRecord(school(), False)}, {5}))
    assert [a.record_id for a in plan.appends] == [5]


def test_lost_id_write_is_recovered_by_matching_the_snapshot() -> None:
    a = school("1")
    plan = run([["", *row("x", a)[1:]]], MergeInput({"4": (4, a)}, {}))
    assert plan.creates == [] and plan.archives == []
    assert (plan.updates[0].record_id, plan.updates[0].write_id) == (4, True)


def test_row_gone_archives_and_api_archive_deletes_row() -> None:
    a, b, c, d, e, f = (school(str(i)) for i in range(1, 7))
    synced = {str(i): (i, s) for i, s in enumerate([a, b, c, d, e, f], start=1)}
    plan = run(
        [row(str(i), s) for i, s in enumerate([a, b, c, d, e], start=1)],
        MergeInput(synced, {2: DbRecord(b, True)}),
    )
    assert [x.record_id for x in plan.archives] == [6]
    assert [(x.record_id, x.row_number) for x in plan.row_deletes] == [(2, 3)]


def test_mass_delete_is_held_until_confirmed() -> None:
    schools = {str(i): (i, school(str(i))) for i in range(1, 11)}
    plan = run([], MergeInput(schools, {}))
    assert plan.archives == [] and [i.code for i in plan.issues] == ["MASS_DELETE_HELD"]
    confirmed = run([], MergeInput(schools, {}), confirm_deletes=True)
    assert len(confirmed.archives) == 10


def test_missing_required_header_skips_tab_with_one_issue() -> None:
    table = read(SCHOOLS, [["ID", "학교명"], ["1", "x"]])
    plan = merge(SHEET, table, MergeInput({"1": (1, school())}, {}))
    assert plan.skipped and len(plan.issues) == 1 and plan.archives == []
    assert "학교코드" in plan.issues[0].problem


def test_headers_match_by_text_in_any_order_with_unknown_columns() -> None:
    header = ["메모", "학생 수", "ｉｄ", " 학교명 ", "학교코드", "권역", "학교급"]
    a = school()
    cells = [header, ["아무거나", 600, "1", a["name"], a["code"], a["district"], "초등학교"]]
    plan = merge(SHEET, read(SCHOOLS, cells), MergeInput({"1": (1, a)}, {}))
    assert plan.updates[0].to_db == {"students": 600}


def test_formula_cells_are_not_imported_nor_overwritten() -> None:
    a = school()
    cells = row("1", a)
    cells[5] = "=SUM(1,2)"
    plan = run([cells], MergeInput({"1": (1, a)}, {1: DbRecord(school(students=9), False)}))
    assert plan.updates[0].to_sheet == {} and plan.updates[0].to_db == {}
    assert [i.code for i in plan.issues] == ["FORMULA_CELL"]


def test_a_database_owned_tab_restores_staff_edits() -> None:
    tab = SCHOOLS.model_copy(update={"direction": Direction.TO_SHEET})
    base = school()
    plan = merge(SHEET, read(tab, [HEADER, row("1", school(students=600))]), MergeInput({"1": (1, base)}, {}))
    assert plan.updates[0].to_sheet == {"students": 500} and plan.updates[0].to_db == {}


def test_a_sheet_owned_tab_overwrites_database_edits() -> None:
    tab = SCHOOLS.model_copy(update={"direction": Direction.FROM_SHEET})
    base = school()
    state = MergeInput({"1": (1, base)}, {1: DbRecord(school(students=650), False)})
    plan = merge(SHEET, read(tab, [HEADER, row("1", base)]), state)
    assert plan.updates[0].to_db == {"students": 500} and plan.updates[0].to_sheet == {}


def test_a_pasted_over_id_never_archives_the_record_it_replaced() -> None:
    a, b = school("1"), school("2")
    plan = run([row("1", a), row("99", b)], MergeInput({"1": (1, a), "2": (2, b)}, {}))
    assert plan.archives == []
    assert sorted(i.code for i in plan.issues) == ["DELETE_HELD_FOR_IDS", "UNKNOWN_ID"]
