"""The pure merge engine, rule by rule (DESIGN.md "Sync semantics", sync/merge.py)."""

from __future__ import annotations

from typing import Any

from sync.grid import Formula, TabGrid
from sync.mapping import Direction, Side, load
from sync.merge import DbRecord, MergeInput, Synced, merge
from sync.plan import TabPlan
from sync.table import read

SHEET = load().spreadsheets[0]
SCHOOLS = SHEET.tabs[0]
HEADER = ["ID", "학교코드", "학교명", "학교급", "권역", "학생수"]


def school(code: str = "7530001", name: str = "미사초", students: int = 500) -> dict[str, Any]:
    return {"code": code, "name": name, "level": "ELEMENTARY", "district": "미사", "students": students}


def row(key: str, s: dict[str, Any]) -> list[Any]:
    return [key, s["code"], s["name"], "초등학교", s["district"], s["students"]]


def synced(*records: tuple[int, dict[str, Any]], anchored: bool = True) -> dict[int, Synced]:
    """Sync state of records whose rows carry the anchors ``a<id>`` (or none: a pre-anchor sheet)."""
    return {i: Synced(i, str(i), values, f"a{i}" if anchored else None) for i, values in records}


def run(
    cells: list[list[Any]],
    state: MergeInput,
    anchors: dict[int, list[str]] | None = None,
    tab: Any = SCHOOLS,
    **kw: Any,
) -> TabPlan:
    """Merge ``cells`` (data rows, row 2 first); by default row n carries the anchor of its ID."""
    if anchors is None:
        anchors = {n: [f"a{line[0]}"] for n, line in enumerate(cells, start=2) if line and line[0]}
    grid = TabGrid(tab.name, 7, 1000, 26, cells=[HEADER, *cells], anchors=anchors)
    tokens = iter(f"new{i}" for i in range(1000))
    return merge(SHEET, read(tab, grid), state, new_token=lambda: next(tokens), **kw)


def test_sheet_only_change_goes_to_database() -> None:
    plan = run([row("1", school(students=600))], MergeInput(synced((1, school())), {}))
    assert plan.updates[0].to_db == {"students": 600}
    assert plan.updates[0].to_sheet == {}
    assert plan.updates[0].snapshot["students"] == 600


def test_database_only_change_goes_to_sheet_by_anchor_and_stays_pending_in_the_base() -> None:
    base = school()
    plan = run([row("1", base)], MergeInput(synced((1, base)), {1: DbRecord(school(name="새이름"), False)}))
    update = plan.updates[0]
    assert (update.to_sheet, update.to_db, update.anchor) == ({"name": "새이름"}, {}, "a1")
    assert update.snapshot["name"] == "미사초"  # the base moves once a read finds the new value


def test_same_change_on_both_sides_is_fine() -> None:
    base, new = school(), school(students=700)
    plan = run([row("1", new)], MergeInput(synced((1, base)), {1: DbRecord(new, False)}))
    u = plan.updates[0]
    assert (u.to_db, u.to_sheet, u.conflicts) == ({}, {}, [])
    assert u.snapshot["students"] == 700


def test_different_changes_make_a_conflict_sheet_wins_by_default() -> None:
    state = MergeInput(synced((1, school())), {1: DbRecord(school(students=650), False)})
    plan = run([row("1", school(students=600))], state)
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
    state = MergeInput(synced((1, school())), {1: DbRecord(school(students=650), False)})
    plan = run([row("1", school(students=600))], state, tab=tab)
    assert plan.updates[0].to_sheet == {"students": 650}
    assert plan.updates[0].conflicts[0].applied_side == "DATABASE"
    assert plan.updates[0].snapshot["students"] == 600  # a second cycle sees no new conflict


def test_rows_are_found_by_anchor_not_position_after_a_sort() -> None:
    a, b = school("1", "가"), school("2", "나")
    plan = run([row("2", b), row("1", a)], MergeInput(synced((1, a), (2, b)), {}))
    assert all(not (u.to_db or u.to_sheet) for u in plan.updates)
    assert {u.key: u.row_number for u in plan.updates} == {"2": 2, "1": 3}


def test_text_the_worker_wrote_reads_back_as_itself() -> None:
    texts = ["\t=1+1", "\r=1+1", " leading space", "trailing space "]
    records = [(i, school(str(i), name=text)) for i, text in enumerate(texts, start=1)]
    plan = run([row(str(i), s) for i, s in records], MergeInput(synced(*records), {}))
    assert [(u.to_db, u.to_sheet) for u in plan.updates] == [({}, {})] * len(texts)
    assert [u.snapshot["name"] for u in plan.updates] == texts


def test_bad_cell_holds_only_its_row() -> None:
    a, b = school("1"), school("2")
    bad = row("1", a)
    bad[5] = "많음"
    plan = run([bad, row("2", school("2", students=9))], MergeInput(synced((1, a), (2, b)), {}))
    assert [i.code for i in plan.issues] == ["NOT_A_NUMBER"]
    assert plan.issues[0].row_number == 2 and plan.issues[0].field == "students"
    assert [u.key for u in plan.updates] == ["2"]


def test_copied_rows_are_issues_never_guesses() -> None:
    a = school("1")
    plan = run([row("1", a), row("1", school("9"))], MergeInput(synced((1, a)), {}), anchors={2: ["a1"]})
    assert [(i.code, i.row_number) for i in plan.issues] == [("DUPLICATE_ID", 3)]
    assert [u.row_number for u in plan.updates] == [2] and plan.archives == [] and plan.creates == []


def test_unanchored_duplicate_ids_are_issues() -> None:
    a = school("1")
    state = MergeInput(synced((1, a), anchored=False), {})
    plan = run([row("1", a), row("1", school("9"))], state, anchors={})
    assert [i.code for i in plan.issues] == ["DUPLICATE_ID", "DUPLICATE_ID", "DELETE_HELD_FOR_IDS"]
    assert plan.updates == [] and plan.archives == []


def test_unknown_id_is_an_issue() -> None:
    plan = run([row("77", school())], MergeInput({}, {}), anchors={})
    assert [i.code for i in plan.issues] == ["UNKNOWN_ID"]
    assert plan.creates == [] and plan.place == []


def test_a_new_row_is_anchored_first_and_created_once_its_anchor_is_read_back() -> None:
    new = ["", "7530009", "새학교", "중학교", "위례", "1,200"]
    first = run([new], MergeInput({}, {}), anchors={})
    assert first.place == [2] and first.creates == []
    second = run([new], MergeInput({}, {}), anchors={2: ["t1", "t2"]})
    assert second.place == [] and second.drops == ["t2"]
    [create] = second.creates
    assert create.anchor == "t1"
    assert create.values == {
        "code": "7530009",
        "name": "새학교",
        "level": "MIDDLE",
        "district": "위례",
        "students": 1200,
    }


def test_a_stray_anchor_on_a_known_row_is_removed_and_never_acted_on() -> None:
    a = school("1")
    plan = run([row("1", a)], MergeInput(synced((1, a)), {}), anchors={2: ["a1", "stray"]})
    assert plan.drops == ["stray"] and plan.creates == [] and len(plan.updates) == 1


def test_a_natural_key_twin_waits_for_the_anchor_then_conflicts_on_every_difference() -> None:
    db = school("7530001", students=10)
    typed = ["", "7530001", "미사초", "초등학교", "미사", 11]
    state = MergeInput({}, {5: DbRecord(db, False)}, {5})
    first = run([typed], state, anchors={})
    assert first.place == [2] and first.appends == [] and first.creates == []
    second = run([typed], state, anchors={2: ["t"]})
    assert second.creates == [] and second.appends == []
    u = second.updates[0]
    assert (u.record_id, u.write_id, u.is_new_sync, u.anchor) == (5, True, True, "t")
    [conflict] = u.conflicts
    assert (conflict.field, conflict.sheet, conflict.database, conflict.base) == ("students", 11, 10, None)


def test_empty_tab_is_filled_from_the_database() -> None:
    plan = run([], MergeInput({}, {5: DbRecord(school(), False)}, {5}))
    assert [(a.record_id, a.anchor) for a in plan.appends] == [(5, "new0")]


def test_an_append_not_seen_is_appended_again_with_its_anchor() -> None:
    a = school("1")
    waiting = {1: Synced(1, "1", a, "a1", placed=False)}
    lost = run([], MergeInput(waiting, {1: DbRecord(school("1", students=7), False)}))
    assert [(x.record_id, x.anchor, x.again, x.values["students"]) for x in lost.appends] == [
        (1, "a1", True, 7)
    ]
    assert lost.archives == []
    landed = run([row("1", a)], MergeInput(waiting, {}))
    assert landed.appends == [] and landed.updates[0].placed


def test_a_sheet_synced_before_anchors_is_anchored_by_its_id() -> None:
    a = school("1")
    state = MergeInput(synced((1, school("1", students=9)), anchored=False), {})
    first = run([row("1", a)], state, anchors={})
    assert first.place == [2] and first.archives == []
    assert first.updates[0].to_db == {"students": 500} and first.updates[0].anchor is None
    second = run([row("1", a)], state, anchors={2: ["t"]})
    assert (second.updates[0].anchor, second.updates[0].claim) == ("t", True)


def test_row_gone_archives_and_api_archive_clears_its_row_by_anchor() -> None:
    records = [(i, school(str(i))) for i in range(1, 7)]
    plan = run(
        [row(str(i), s) for i, s in records[:5]],
        MergeInput(synced(*records), {2: DbRecord(records[1][1], True)}),
    )
    assert [x.record_id for x in plan.archives] == [6]
    assert [(x.record_id, x.anchor, x.row_number) for x in plan.clears] == [(2, "a2", 3)]


def test_a_cleared_row_is_forgotten_and_its_anchor_dropped() -> None:
    a, b = school("1"), school("2")
    state = MergeInput(synced((1, a), (2, b)), {2: DbRecord(b, True)})
    plan = run([row("1", a)], state, anchors={2: ["a1"], 3: ["a2"]})
    assert plan.forget == [2] and plan.drops == ["a2"] and plan.archives == []


def test_mass_delete_is_held_until_confirmed() -> None:
    records = synced(*((i, school(str(i))) for i in range(1, 11)))
    plan = run([], MergeInput(records, {}))
    assert plan.archives == [] and [i.code for i in plan.issues] == ["MASS_DELETE_HELD"]
    confirmed = run([], MergeInput(records, {}), confirm_deletes=True)
    assert len(confirmed.archives) == 10


def test_missing_required_header_skips_tab_with_one_issue() -> None:
    table = read(SCHOOLS, [["ID", "학교명"], ["1", "x"]])
    plan = merge(SHEET, table, MergeInput(synced((1, school())), {}))
    assert plan.skipped and len(plan.issues) == 1 and plan.archives == []
    assert "학교코드" in plan.issues[0].problem


def test_headers_match_by_text_in_any_order_with_unknown_columns() -> None:
    header = ["메모", "학생 수", "ｉｄ", " 학교명 ", "학교코드", "권역", "학교급"]
    a = school()
    cells = [header, ["아무거나", 600, "1", a["name"], a["code"], a["district"], "초등학교"]]
    grid = TabGrid(SCHOOLS.name, 7, 1000, 26, cells=cells, anchors={2: ["a1"]})
    plan = merge(SHEET, read(SCHOOLS, grid), MergeInput(synced((1, a)), {}))
    assert plan.updates[0].to_db == {"students": 600}


def test_formula_cells_are_not_imported_nor_overwritten() -> None:
    a = school()
    cells = row("1", a)
    cells[5] = Formula("=SUM(1,2)")
    plan = run([cells], MergeInput(synced((1, a)), {1: DbRecord(school(students=9), False)}))
    assert plan.updates[0].to_sheet == {} and plan.updates[0].to_db == {}
    assert [i.code for i in plan.issues] == ["FORMULA_CELL"]


def test_text_starting_with_equals_is_text_not_a_formula() -> None:
    a = school(name="=1+1")
    plan = run([row("1", school(name="=2+2"))], MergeInput(synced((1, a)), {}))
    assert plan.updates[0].to_db == {"name": "=2+2"} and plan.issues == []


def test_a_database_owned_tab_restores_staff_edits() -> None:
    tab = SCHOOLS.model_copy(update={"direction": Direction.TO_SHEET})
    plan = run([row("1", school(students=600))], MergeInput(synced((1, school())), {}), tab=tab)
    assert plan.updates[0].to_sheet == {"students": 500} and plan.updates[0].to_db == {}


def test_a_sheet_owned_tab_overwrites_database_edits() -> None:
    tab = SCHOOLS.model_copy(update={"direction": Direction.FROM_SHEET})
    base = school()
    state = MergeInput(synced((1, base)), {1: DbRecord(school(students=650), False)})
    plan = run([row("1", base)], state, tab=tab)
    assert plan.updates[0].to_db == {"students": 500} and plan.updates[0].to_sheet == {}


def test_an_id_pasted_over_an_anchored_row_holds_the_row_and_every_archive() -> None:
    a, b = school("1"), school("2")
    plan = run(
        [row("1", a), row("1", b)], MergeInput(synced((1, a), (2, b)), {}), anchors={2: ["a1"], 3: ["a2"]}
    )
    assert plan.archives == []
    assert [(i.code, i.row_number) for i in plan.issues] == [("ID_MISMATCH", 3)]
    assert [u.record_id for u in plan.updates] == [1]


def test_an_unknown_id_never_archives_the_record_it_replaced() -> None:
    a, b = school("1"), school("2")
    state = MergeInput(synced((1, a), (2, b), anchored=False), {})
    plan = run([row("1", a), row("99", b)], state, anchors={})
    assert plan.archives == []
    assert sorted(i.code for i in plan.issues) == ["DELETE_HELD_FOR_IDS", "UNKNOWN_ID"]


def test_one_records_anchor_on_two_rows_is_reported_never_merged_twice() -> None:
    a = school("1")
    plan = run([row("1", a), row("1", a)], MergeInput(synced((1, a)), {}), anchors={2: ["a1"], 3: ["a1"]})
    assert [u.row_number for u in plan.updates] == [2]
    assert [(i.code, i.row_number) for i in plan.issues] == [("DUPLICATE_ROW", 3)]
