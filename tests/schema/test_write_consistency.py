"""Through the schema: concurrent mutations, renames in history, and money within `Won`."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from strawberry.relay import GlobalID

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.services import budget_lines
from models.services.validation import MAX_WON
from models.services.write_scope import WriteScope, write_scope
from tests.schema.schema_kit import Run, WorldFactory

UPDATE_LINE = """mutation($input: BudgetLineUpdateInput!) { budgetLineUpdate(input: $input) {
  budgetLine { allocated executed } userErrors { field message code } } }"""
CREATE_LINE = """mutation($input: BudgetLineCreateInput!) { budgetLineCreate(input: $input) {
  budgetLine { id allocated } userErrors { field message code } } }"""


def _gid(type_name: str, pk: int) -> str:
    return str(GlobalID(type_name, str(pk)))


async def _line_at(make_world: WorldFactory, allocated: int, executed: int) -> BudgetLine:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.update(scope, world.lines[0], {"allocated": allocated, "executed": executed})
    return world.lines[0]


def _meet_after_reading(monkeypatch: pytest.MonkeyPatch, db: str, writers: int) -> None:
    """On PostgreSQL, hold each mutation between its own read of the row and the service write
    until all have read, so they truly race. SQLite runs one transaction at a time: no hold."""
    if not db.startswith("postgres"):
        return
    barrier = asyncio.Barrier(writers)
    real_update = budget_lines.update

    async def update(scope: WriteScope, line: BudgetLine, changes: Any) -> BudgetLine:
        await asyncio.wait_for(barrier.wait(), timeout=10)
        return await real_update(scope, line, changes)

    monkeypatch.setattr(budget_lines, "update", update)


async def test_two_concurrent_budget_line_updates_never_both_succeed_against_each_other(
    run: Run, make_world: WorldFactory, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = await _line_at(make_world, allocated=100, executed=10)
    _meet_after_reading(monkeypatch, db, writers=2)
    line_id = _gid("BudgetLine", line.id)
    bodies = await asyncio.gather(
        run(UPDATE_LINE, {"input": {"id": line_id, "allocated": 20}}),
        run(UPDATE_LINE, {"input": {"id": line_id, "executed": 90}}),
    )
    payloads = [body["data"]["budgetLineUpdate"] for body in bodies]
    refused = [p for p in payloads if p["userErrors"]]
    assert len(refused) == 1, payloads
    [error] = refused[0]["userErrors"]
    assert (error["field"], error["code"]) == ("executed", "EXECUTED_OVER_ALLOCATED")
    assert "집행액" in error["message"]
    [landed] = [p["budgetLine"] for p in payloads if not p["userErrors"]]
    stored = await BudgetLine.get(id=line.id)
    assert (stored.allocated, stored.executed) == (landed["allocated"], landed["executed"])
    assert (stored.allocated, stored.executed) in {(20, 10), (100, 90)}


async def test_two_concurrent_budget_line_updates_of_different_fields_both_land(
    run: Run, make_world: WorldFactory, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = await _line_at(make_world, allocated=100, executed=10)
    _meet_after_reading(monkeypatch, db, writers=2)
    line_id = _gid("BudgetLine", line.id)
    bodies = await asyncio.gather(
        run(UPDATE_LINE, {"input": {"id": line_id, "allocated": 120}}),
        run(UPDATE_LINE, {"input": {"id": line_id, "executed": 90}}),
    )
    assert [b["data"]["budgetLineUpdate"]["userErrors"] for b in bodies] == [[], []]
    stored = await BudgetLine.get(id=line.id)
    assert (stored.allocated, stored.executed) == (120, 90)
    # Whichever committed second answered with both changes.
    answers = [b["data"]["budgetLineUpdate"]["budgetLine"] for b in bodies]
    assert {"allocated": 120, "executed": 90} in answers


async def test_a_programs_history_shows_its_schools_rename(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=2, lines_per_program=0)
    school_id = _gid("School", world.schools[0].id)
    rename = """mutation($input: SchoolUpdateInput!) { schoolUpdate(input: $input) {
      school { code } userErrors { code } } }"""
    body = await run(rename, {"input": {"id": school_id, "code": "S0000-R"}})
    assert body["data"]["schoolUpdate"] == {"school": {"code": "S0000-R"}, "userErrors": []}
    query = """query($id: ID!) { history(recordId: $id) { edges { node {
      action actor { kind name } changes { field oldValue newValue } } } } }"""
    for program in world.programs[:2]:
        history = await run(query, {"id": _gid("Program", program.id)}, viewer="partner")
        latest, created = [edge["node"] for edge in history["data"]["history"]["edges"]]
        assert latest == {
            "action": "UPDATE",
            "actor": {"kind": "API_TOKEN", "name": "교육지원청 담당자"},
            "changes": [{"field": "schoolCode", "oldValue": "S0000", "newValue": "S0000-R"}],
        }
        assert created["action"] == "CREATE"
    shown = await run("{ programs(first: 10) { edges { node { code schoolCode } } } }", viewer="partner")
    codes = {e["node"]["code"]: e["node"]["schoolCode"] for e in shown["data"]["programs"]["edges"]}
    assert codes == {"PS0000": "S0000-R", "PS0001": "S0000-R", "PS0002": None}


async def test_lines_summing_to_max_won_are_summed_exactly_and_one_won_more_is_refused(
    run: Run, make_world: WorldFactory
) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=0)
    base = {"programCode": world.programs[0].code, "fiscalYear": 2025}
    created = []
    for funder, amount in (("CITY", MAX_WON - 1_000), ("PROVINCE", 1_000)):
        values = {**base, "funder": funder, "allocated": amount, "executed": amount}
        body = await run(CREATE_LINE, {"input": values})
        assert body["data"]["budgetLineCreate"]["userErrors"] == []
        created.append(body["data"]["budgetLineCreate"]["budgetLine"])
    over = await run(CREATE_LINE, {"input": {**base, "funder": "OTHER", "allocated": 1}})
    [error] = over["data"]["budgetLineCreate"]["userErrors"]
    assert (error["field"], error["code"]) == ("allocated", "OUT_OF_RANGE")
    assert "배정액 합계" in error["message"]
    raise_one = await run(UPDATE_LINE, {"input": {"id": created[1]["id"], "allocated": 1_001}})
    assert [e["code"] for e in raise_one["data"]["budgetLineUpdate"]["userErrors"]] == ["OUT_OF_RANGE"]
    summary = await run(
        "{ total: budgetSummary(groupBy: []) { allocated executed lineCount } "
        "byFunder: budgetSummary(groupBy: [FUNDER]) { allocated } }",
        viewer="anonymous",
    )
    assert summary["data"]["total"] == [{"allocated": MAX_WON, "executed": MAX_WON, "lineCount": 2}]
    assert sorted(g["allocated"] for g in summary["data"]["byFunder"]) == [1_000, MAX_WON - 1_000]
    assert type(summary["data"]["total"][0]["allocated"]) is int  # exact, never a float


async def test_won_and_budget_summary_descriptions_state_the_total_rule(run: Run, db: str) -> None:
    body = await run(
        '{ won: __type(name: "Won") { description } '
        'query: __type(name: "Query") { fields { name description } } }'
    )
    assert "sum" in body["data"]["won"]["description"]
    [summary] = [f for f in body["data"]["query"]["fields"] if f["name"] == "budgetSummary"]
    assert "2^53 - 1" in summary["description"]
