"""Writing: every mutation, its userErrors (one test per code), Maybe semantics, history, access."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.relay import GlobalID

from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.program import Program
from models.school import School
from tests.schema.schema_kit import Run, WorldFactory

PAYLOAD = "{ %s { %s } userErrors { field message code } }"
SCHOOL_FIELDS = "id code name level district students archivedAt"
PROGRAM_FIELDS = "id code name schoolCode category fiscalYear status archivedAt"
LINE_FIELDS = "id allocated executed funder fiscalYear note program { code } archivedAt"


async def _mutate(
    run: Run, name: str, record: str, fields: str, values: dict[str, Any], viewer: str = "staff"
) -> Any:
    input_type = name[0].upper() + name[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) " + PAYLOAD % (record, fields) + " }"
    body = await run(query, {"input": values}, viewer=viewer)
    assert "errors" not in body, body
    return body["data"][name]


def _gid(type_name: str, pk: int) -> str:
    return str(GlobalID(type_name, str(pk)))


def _codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_school_lifecycle_through_every_mutation(run: Run, db: str) -> None:
    created = await _mutate(
        run,
        "schoolCreate",
        "school",
        SCHOOL_FIELDS,
        {
            "code": "J100",
            "name": "하남중앙초등학교",
            "level": "ELEMENTARY",
            "district": "신장",
            "students": 500,
        },
    )
    assert created["userErrors"] == []
    school = created["school"]
    assert (school["name"], school["students"]) == ("하남중앙초등학교", 500)
    updated = await _mutate(
        run, "schoolUpdate", "school", SCHOOL_FIELDS, {"id": school["id"], "students": 510}
    )
    assert (updated["school"]["students"], updated["school"]["name"]) == (510, "하남중앙초등학교")
    archived = await _mutate(run, "schoolArchive", "school", SCHOOL_FIELDS, {"code": "J100"})
    assert archived["school"]["archivedAt"] is not None
    restored = await _mutate(run, "schoolRestore", "school", SCHOOL_FIELDS, {"id": school["id"]})
    assert restored["school"]["archivedAt"] is None
    assert (await School.get(code="J100")).students == 510


async def test_school_user_errors(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=2, programs_per_school=1)
    base = {"name": "학교", "level": "MIDDLE", "district": "미사"}
    duplicate = await _mutate(run, "schoolCreate", "school", "code", {**base, "code": "S0000"})
    assert duplicate["school"] is None
    assert _codes(duplicate) == [("code", "DUPLICATE_CODE")]
    assert "이미 있습니다" in duplicate["userErrors"][0]["message"]
    invalid = await _mutate(run, "schoolCreate", "school", "code", {**base, "code": "has space", "name": " "})
    assert set(_codes(invalid)) == {("code", "INVALID"), ("name", "REQUIRED")}
    too_many = await _mutate(
        run, "schoolCreate", "school", "code", {**base, "code": "X1", "students": 100_001}
    )
    assert _codes(too_many) == [("students", "OUT_OF_RANGE")]
    too_long = await _mutate(
        run, "schoolCreate", "school", "code", {**base, "code": "X2", "district": "가" * 31}
    )
    assert _codes(too_long) == [("district", "TOO_LONG")]
    in_use = await _mutate(
        run, "schoolArchive", "school", "code", {"id": _gid("School", world.schools[0].id)}
    )
    assert _codes(in_use) == [(None, "IN_USE")]
    gone = await _mutate(
        run, "schoolUpdate", "school", "code", {"id": _gid("School", 99999), "name": "새 이름"}
    )
    assert _codes(gone) == [("id", "NOT_FOUND")]
    wrong_type = await _mutate(
        run, "schoolUpdate", "school", "code", {"id": _gid("Program", world.programs[0].id)}
    )
    assert _codes(wrong_type) == [("id", "NOT_FOUND")]
    neither = await _mutate(run, "schoolArchive", "school", "code", {})
    assert _codes(neither) == [("id", "REQUIRED")]
    assert await School.all().count() == 2  # nothing was written by any refused mutation


async def test_update_distinguishes_absent_from_null(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1)
    program_id = _gid("Program", world.programs[0].id)
    untouched = await _mutate(
        run, "programUpdate", "program", PROGRAM_FIELDS, {"id": program_id, "name": "새 사업명"}
    )
    assert (untouched["program"]["name"], untouched["program"]["schoolCode"]) == ("새 사업명", "S0000")
    city_wide = await _mutate(
        run, "programUpdate", "program", PROGRAM_FIELDS, {"id": program_id, "schoolCode": None}
    )
    assert city_wide["program"]["schoolCode"] is None
    assert (await Program.get(id=world.programs[0].id)).school_id is None
    query = "mutation($input: ProgramUpdateInput!) { programUpdate(input: $input) { program { id } } }"
    null_name = await run(query, {"input": {"id": program_id, "name": None}})
    assert null_name["data"] is None
    assert "cannot be explicitly set to null" in null_name["errors"][0]["message"]
    assert (await Program.get(id=world.programs[0].id)).name == "새 사업명"


async def test_program_mutations_and_user_errors(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    base = {"name": "AI 캠프", "category": "CAMPUS_TOUR", "fiscalYear": 2026}
    created = await _mutate(
        run, "programCreate", "program", PROGRAM_FIELDS, {**base, "code": "NEW-1", "schoolCode": "S0000"}
    )
    assert created["program"]["schoolCode"] == "S0000"
    assert created["program"]["status"] == "PLANNED"
    unknown = await _mutate(
        run, "programCreate", "program", "code", {**base, "code": "NEW-2", "schoolCode": "NOPE"}
    )
    assert _codes(unknown) == [("schoolCode", "UNKNOWN_SCHOOL")]
    year = await _mutate(
        run, "programCreate", "program", "code", {**base, "code": "NEW-3", "fiscalYear": 1999}
    )
    assert _codes(year) == [("fiscalYear", "OUT_OF_RANGE")]
    duplicate = await _mutate(run, "programCreate", "program", "code", {**base, "code": "NEW-1"})
    assert _codes(duplicate) == [("code", "DUPLICATE_CODE")]
    in_use = await _mutate(run, "programArchive", "program", "code", {"code": world.programs[0].code})
    assert _codes(in_use) == [(None, "IN_USE")]
    archived = await _mutate(run, "programArchive", "program", PROGRAM_FIELDS, {"code": "NEW-1"})
    assert archived["program"]["archivedAt"] is not None
    again = await _mutate(run, "programArchive", "program", "code", {"code": "NEW-1"})
    assert _codes(again) == [(None, "ARCHIVED")]
    edit_archived = await _mutate(
        run, "programUpdate", "program", "code", {"id": archived["program"]["id"], "name": "x"}
    )
    assert _codes(edit_archived) == [(None, "ARCHIVED")]
    restored = await _mutate(
        run, "programRestore", "program", PROGRAM_FIELDS, {"id": archived["program"]["id"]}
    )
    assert restored["program"]["archivedAt"] is None


async def test_budget_line_mutations_and_user_errors(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    code = world.programs[0].code
    base = {"programCode": code, "fiscalYear": 2025, "funder": "CITY"}
    big = 3_000_000_000_000  # 3조 원: beyond 32-bit Int, exact as Won
    created = await _mutate(
        run, "budgetLineCreate", "budgetLine", LINE_FIELDS, {**base, "allocated": big, "executed": 7}
    )
    line = created["budgetLine"]
    assert (line["allocated"], line["executed"], line["program"]["code"]) == (big, 7, code)
    negative = await _mutate(run, "budgetLineCreate", "budgetLine", "id", {**base, "allocated": -1})
    assert _codes(negative) == [("allocated", "NEGATIVE_AMOUNT")]
    over = await _mutate(
        run, "budgetLineCreate", "budgetLine", "id", {**base, "allocated": 10, "executed": 11}
    )
    assert _codes(over) == [("executed", "EXECUTED_OVER_ALLOCATED")]
    assert "집행액" in over["userErrors"][0]["message"]
    unknown = await _mutate(
        run, "budgetLineCreate", "budgetLine", "id", {**base, "programCode": "NOPE", "allocated": 1}
    )
    assert _codes(unknown) == [("programCode", "UNKNOWN_PROGRAM")]
    raise_over = await _mutate(
        run, "budgetLineUpdate", "budgetLine", LINE_FIELDS, {"id": line["id"], "executed": big + 1}
    )
    assert _codes(raise_over) == [("executed", "EXECUTED_OVER_ALLOCATED")]
    updated = await _mutate(
        run,
        "budgetLineUpdate",
        "budgetLine",
        LINE_FIELDS,
        {"id": line["id"], "executed": big, "note": "전액 집행"},
    )
    assert (updated["budgetLine"]["executed"], updated["budgetLine"]["note"]) == (big, "전액 집행")
    archived = await _mutate(run, "budgetLineArchive", "budgetLine", LINE_FIELDS, {"id": line["id"]})
    assert archived["budgetLine"]["archivedAt"] is not None
    restored = await _mutate(run, "budgetLineRestore", "budgetLine", LINE_FIELDS, {"id": line["id"]})
    assert restored["budgetLine"]["archivedAt"] is None
    assert (await BudgetLine.get(id=int(GlobalID.from_id(line["id"]).node_id))).executed == big


@pytest.mark.parametrize("amount", [1.5, 2**53, "100", True])
async def test_won_refuses_fractions_overflow_and_text(
    run: Run, make_world: WorldFactory, amount: Any
) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=0)
    query = (
        "mutation($input: BudgetLineCreateInput!) { budgetLineCreate(input: $input) { budgetLine { id } } }"
    )
    values = {
        "programCode": world.programs[0].code,
        "fiscalYear": 2025,
        "funder": "CITY",
        "allocated": amount,
    }
    body = await run(query, {"input": values})
    assert body["data"] is None
    assert "Won" in body["errors"][0]["message"] or "allocated" in body["errors"][0]["message"]
    assert await BudgetLine.all().count() == 0


async def test_history_names_the_token_and_each_field_change(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    line_id = _gid("BudgetLine", world.lines[0].id)
    old_executed = world.lines[0].executed
    await _mutate(run, "budgetLineUpdate", "budgetLine", "id", {"id": line_id, "executed": 0, "note": "정정"})
    query = """query($id: ID!) { history(recordId: $id) { totalCount edges { node {
      action occurredAt recordId actor { kind name } changes { field oldValue newValue } } } } }"""
    body = await run(query, {"id": line_id}, viewer="partner")
    events = [edge["node"] for edge in body["data"]["history"]["edges"]]
    assert [e["action"] for e in events] == ["UPDATE", "CREATE"]  # newest first
    latest = events[0]
    assert latest["actor"] == {"kind": "API_TOKEN", "name": "교육지원청 담당자"}
    assert latest["recordId"] == line_id
    assert {c["field"]: [c["oldValue"], c["newValue"]] for c in latest["changes"]} == {
        "executed": [old_executed, 0],
        "note": ["", "정정"],
    }
    assert events[1]["actor"] == {"kind": "SYSTEM", "name": "eduhub"}
    assert {c["field"] for c in events[1]["changes"]} >= {"programCode", "fiscalYear", "allocated"}


@pytest.mark.parametrize("viewer", ["anonymous", "partner"])
async def test_readers_cannot_write(run: Run, make_world: WorldFactory, viewer: str) -> None:
    await make_world(schools_count=1)
    query = """mutation { schoolCreate(input: {code: "Z1", name: "학교", level: HIGH, district: "감일"}) {
      school { id } } }"""
    body = await run(query, viewer=viewer)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "직원 또는 관리자" in body["errors"][0]["message"]
    assert not await School.filter(code="Z1").exists()
    assert not await ChangeEvent.filter(actor_kind="API_TOKEN").exists()


async def test_admin_writes_too(run: Run, db: str) -> None:
    created = await _mutate(
        run,
        "schoolCreate",
        "school",
        "code",
        {"code": "A9", "name": "관리학교", "level": "HIGH", "district": "위례"},
        viewer="admin",
    )
    assert created["school"] == {"code": "A9"}
    event = await ChangeEvent.get(record_type="School")
    assert event.actor_name == "시스템 관리자"
