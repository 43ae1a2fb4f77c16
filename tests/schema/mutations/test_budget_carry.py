"""budgetLineCarryOver and fiscalYearClose through GraphQL; the new budget line fields and filter."""

from __future__ import annotations

from typing import Any

from strawberry.relay import GlobalID

from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.fiscal_year_closing import FiscalYearClosing
from tests.models.services.budget_kit import make_line, make_program
from tests.schema.schema_kit import Run

LINE = (
    "id stage allocated executed disbursed carriedIn carriedOut unused budgetCurrent executionRate"
    " fiscalYear note"
)
CARRY = (
    "mutation($input: BudgetLineCarryOverInput!) { budgetLineCarryOver(input: $input) {"
    f" budgetLine {{ {LINE} }} nextYearLine {{ {LINE} }} createdNextYearLine"
    " userErrors { field message code } } }"
)
CLOSE = (
    "mutation($input: FiscalYearCloseInput!) { fiscalYearClose(input: $input) {"
    " fiscalYear dryRun linesCreated alreadySettled totalCarried totalUnused"
    " lines { budgetLineId programCode funder budgetCurrent executed carried unused createsNextYearLine }"
    " userErrors { field message code } } }"
)


def _gid(pk: int) -> str:
    return str(GlobalID("BudgetLine", str(pk)))


async def _ok(run: Run, query: str, values: dict[str, Any], viewer: str = "staff") -> dict[str, Any]:
    body = await run(query, {"input": values}, viewer=viewer)
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


async def test_create_and_update_take_the_new_fields_and_answer_budget_current(run: Run, db: str) -> None:
    await make_program()
    create = (
        "mutation($input: BudgetLineCreateInput!) { budgetLineCreate(input: $input) {"
        f" budgetLine {{ {LINE} }} userErrors {{ field message code }} }} }}"
    )
    made = await _ok(
        run,
        create,
        {
            "programCode": "P1",
            "fiscalYear": 2025,
            "funder": "CITY",
            "allocated": 10_000_000,
            "carriedIn": 4_000_000_000,
            "executed": 4_005_000_000,
            "disbursed": 9_000_000,
            "stage": "DISBURSED",
        },
    )
    assert made["userErrors"] == []
    line = made["budgetLine"]
    assert (line["stage"], line["budgetCurrent"], line["carriedIn"], line["unused"]) == (
        "DISBURSED",
        4_010_000_000,
        4_000_000_000,
        0,
    )
    # 집행률 over 예산현액: over 배정액 alone this line would read 400.5 (40,050 %).
    assert line["executionRate"] == 4_005_000_000 / 4_010_000_000
    update = (
        "mutation($input: BudgetLineUpdateInput!) { budgetLineUpdate(input: $input) {"
        f" budgetLine {{ {LINE} }} userErrors {{ field message code }} }} }}"
    )
    refused = await _ok(run, update, {"id": line["id"], "carriedOut": 5_000_001})
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("carriedOut", "CARRIED_OVER_UNSPENT")
    ]
    assert "이월액" in refused["userErrors"][0]["message"]
    settled = await _ok(run, update, {"id": line["id"], "stage": "SETTLED"})
    assert [e["code"] for e in settled["userErrors"]] == ["STAGE_NOT_ALLOWED"]
    moved = await _ok(run, update, {"id": line["id"], "stage": "EXECUTED", "carriedOut": 5_000_000})
    assert (moved["budgetLine"]["stage"], moved["budgetLine"]["carriedOut"]) == ("EXECUTED", 5_000_000)


async def test_a_wrong_stage_from_the_api_is_a_clear_error(run: Run, db: str) -> None:
    await make_program()
    line = await make_line()
    query = 'mutation { budgetLineUpdate(input: {id: "%s", stage: FINISHED}) { userErrors { code } } }'
    body = await run(query % _gid(line.id))
    [error] = body["errors"]
    assert "FINISHED" in error["message"] and "BudgetStage" in error["message"]


async def test_budget_lines_filter_by_stage(run: Run, db: str) -> None:
    await make_program()
    await make_line(stage="EXECUTED")
    await make_line(funder="OFFICE_OF_EDUCATION")
    body = await run("{ budgetLines(filter: {stages: [EXECUTED]}) { totalCount nodes { stage } } }")
    assert body["data"]["budgetLines"] == {"totalCount": 1, "nodes": [{"stage": "EXECUTED"}]}


async def test_carry_over_settles_and_feeds_next_year(run: Run, db: str) -> None:
    await make_program()
    line = await make_line(executed=6_000_000)
    done = await _ok(run, CARRY, {"id": _gid(line.id), "amount": 3_000_000})
    assert done["userErrors"] == []
    assert (done["budgetLine"]["stage"], done["budgetLine"]["carriedOut"], done["budgetLine"]["unused"]) == (
        "SETTLED",
        3_000_000,
        1_000_000,
    )
    following = done["nextYearLine"]
    assert (following["fiscalYear"], following["carriedIn"], following["budgetCurrent"]) == (
        2026,
        3_000_000,
        3_000_000,
    )
    assert following["note"] == "2025년도 이월" and done["createdNextYearLine"] is True

    again = await _ok(run, CARRY, {"id": _gid(line.id), "amount": 1})
    assert [e["code"] for e in again["userErrors"]] == ["SETTLED"] and again["budgetLine"] is None
    assert (await BudgetLine.get(id=int(GlobalID.from_id(following["id"]).node_id))).carried_in == 3_000_000


async def test_carry_over_refusals_are_korean_user_errors(run: Run, db: str) -> None:
    await make_program()
    line = await make_line(executed=9_000_000)
    over = await _ok(run, CARRY, {"id": _gid(line.id), "amount": 1_000_001})
    [error] = over["userErrors"]
    assert (error["field"], error["code"]) == ("amount", "CARRIED_OVER_UNSPENT")
    assert "집행 잔액(1,000,000원" in error["message"]
    missing = await _ok(run, CARRY, {"id": _gid(999), "amount": 0})
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]
    partner = await run(CARRY, {"input": {"id": _gid(line.id), "amount": 0}}, viewer="partner")
    assert partner["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await BudgetLine.get(id=line.id)).stage == "PLANNED"


async def test_fiscal_year_close_dry_run_writes_nothing_then_closes_once(run: Run, db: str) -> None:
    await make_program()
    line = await make_line(executed=6_000_000, carried_out=3_000_000)
    events = await ChangeEvent.all().count()
    plan = await _ok(run, CLOSE, {"fiscalYear": 2025, "dryRun": True}, viewer="admin")
    assert plan["userErrors"] == [] and plan["dryRun"] is True
    assert plan["lines"] == [
        {
            "budgetLineId": _gid(line.id),
            "programCode": "P1",
            "funder": "CITY",
            "budgetCurrent": 10_000_000,
            "executed": 6_000_000,
            "carried": 3_000_000,
            "unused": 1_000_000,
            "createsNextYearLine": True,
        }
    ]
    assert await ChangeEvent.all().count() == events and not await FiscalYearClosing.exists()

    staff = await run(CLOSE, {"input": {"fiscalYear": 2025}}, viewer="staff")
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    closed = await _ok(run, CLOSE, {"fiscalYear": 2025}, viewer="admin")
    assert (closed["dryRun"], closed["linesCreated"], closed["totalCarried"], closed["totalUnused"]) == (
        False,
        1,
        3_000_000,
        1_000_000,
    )
    twice = await _ok(run, CLOSE, {"fiscalYear": 2025}, viewer="admin")
    assert [e["code"] for e in twice["userErrors"]] == ["YEAR_CLOSED"]
    assert "이미 마감되었습니다" in twice["userErrors"][0]["message"]
    assert await BudgetLine.filter(fiscal_year=2026).count() == 1


async def test_history_shows_the_settlement_and_the_closing(run: Run, db: str) -> None:
    await make_program()
    line = await make_line(executed=6_000_000, carried_out=1_000_000)
    await _ok(run, CLOSE, {"fiscalYear": 2025}, viewer="admin")
    query = """query($id: ID!) { history(recordId: $id) { nodes {
      action actor { kind name } changes { field oldValue newValue } } } }"""
    body = await run(query, {"id": _gid(line.id)}, viewer="partner")
    latest = body["data"]["history"]["nodes"][0]
    assert latest["actor"] == {"kind": "API_TOKEN", "name": "시스템 관리자"}
    assert {c["field"]: [c["oldValue"], c["newValue"]] for c in latest["changes"]} == {
        "stage": ["PLANNED", "SETTLED"],
        "unused": [0, 3_000_000],
    }
    closing = await FiscalYearClosing.get(fiscal_year=2025)
    body = await run(query, {"id": str(GlobalID("FiscalYearClosing", str(closing.id)))}, viewer="partner")
    [created] = body["data"]["history"]["nodes"]
    changes = {c["field"]: c["newValue"] for c in created["changes"]}
    assert (created["action"], changes["fiscalYear"], changes["totalCarried"]) == ("CREATE", 2025, 1_000_000)
