"""syncStatus, syncIssues, conflicts and conflictResolve, read from and written to the sync bookkeeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import RecordType
from models.sync_state import SyncConflict, SyncCursor, SyncIssue
from tests.schema.schema_kit import Run, WorldFactory

KEY = "sample-spreadsheet"


async def _conflict(line: BudgetLine, sheet_value: int) -> SyncConflict:
    return await SyncConflict.create(
        spreadsheet_key=KEY,
        tab="예산",
        record_type=RecordType.BUDGET_LINE,
        record_id=line.id,
        field="allocated",
        base_value=line.allocated - 1,
        sheet_value=sheet_value,
        database_value=line.allocated,
        applied_side="DATABASE",
    )


async def test_sync_status_counts_and_lag(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=2)
    success = datetime.now(UTC) - timedelta(minutes=5)
    await SyncCursor.create(
        spreadsheet_key=KEY, last_event_id=1, last_cycle_at=success, last_success_at=success
    )
    await _conflict(world.lines[0], 1)
    await SyncIssue.create(
        spreadsheet_key=KEY,
        tab="예산",
        row_number=3,
        column="배정액",
        value="백만원",
        code="NOT_A_NUMBER",
        problem="숫자가 아닙니다.",
    )
    await SyncIssue.create(
        spreadsheet_key=KEY, tab="학교", code="X", problem="해결됨", resolved_at=datetime.now(UTC)
    )
    body = await run(
        """{ syncStatus { lastCycleAt lastSuccessAt lagSeconds lastError
             pendingChanges pendingConflicts openIssues } }""",
        viewer="partner",
    )
    status = body["data"]["syncStatus"]
    # The cursor has read event 1; everything after it waits for the sheet.
    assert status["pendingChanges"] == await ChangeEvent.filter(id__gt=1).count() > 0
    assert (status["pendingConflicts"], status["openIssues"], status["lastError"]) == (1, 1, None)
    assert 300 <= status["lagSeconds"] < 3600


async def test_sync_status_is_public_but_its_error_text_needs_a_token(run: Run, db: str) -> None:
    now = datetime.now(UTC)
    await SyncCursor.create(
        spreadsheet_key=KEY, last_cycle_at=now, last_error="batchGet: HTTP 500 from sheets.example"
    )
    query = "{ syncStatus { lastCycleFailed lastError openIssues } }"
    anonymous = await run(query, viewer="anonymous")
    assert anonymous["data"]["syncStatus"] == {"lastCycleFailed": True, "lastError": None, "openIssues": 0}
    partner = await run(query, viewer="partner")
    assert partner["data"]["syncStatus"]["lastError"] == "batchGet: HTTP 500 from sheets.example"


async def test_sync_status_without_any_cycle(run: Run, db: str) -> None:
    body = await run("{ syncStatus { lastCycleAt lagSeconds pendingChanges } }", viewer="partner")
    assert body["data"]["syncStatus"] == {"lastCycleAt": None, "lagSeconds": None, "pendingChanges": 0}


async def test_sync_issues_and_conflicts_lists(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    await SyncIssue.create(
        spreadsheet_key=KEY,
        tab="예산",
        row_number=4,
        column="집행액",
        value="-5",
        code="NEGATIVE",
        problem="금액은 0원 이상이어야 합니다.",
    )
    conflict = await _conflict(world.lines[0], 42)
    body = await run(
        """{ syncIssues { totalCount nodes { tab rowNumber column value problem } }
             conflicts { totalCount nodes {
               id field recordType recordId sheetValue databaseValue appliedSide } } }""",
        viewer="partner",
    )
    assert body["data"]["syncIssues"]["nodes"] == [
        {
            "tab": "예산",
            "rowNumber": 4,
            "column": "집행액",
            "value": "-5",
            "problem": "금액은 0원 이상이어야 합니다.",
        }
    ]
    node = body["data"]["conflicts"]["nodes"][0]
    assert node["id"] == str(GlobalID("SyncConflict", str(conflict.id)))
    assert node["recordId"] == str(GlobalID("BudgetLine", str(world.lines[0].id)))
    assert (node["field"], node["sheetValue"], node["databaseValue"]) == (
        "allocated",
        42,
        world.lines[0].allocated,
    )


RESOLVE = """mutation($input: ConflictResolveInput!) { conflictResolve(input: $input) {
  conflict { resolution resolvedBy resolvedAt } userErrors { field code message } } }"""


async def test_conflict_resolve_keeps_the_chosen_side(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    line = world.lines[0]
    conflict = await _conflict(line, line.allocated + 1_000_000)
    conflict_id = str(GlobalID("SyncConflict", str(conflict.id)))
    denied = await run(RESOLVE, {"input": {"id": conflict_id, "keep": "SHEET"}}, viewer="partner")
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await run(RESOLVE, {"input": {"id": conflict_id, "keep": "SHEET"}}, viewer="staff")
    payload = body["data"]["conflictResolve"]
    assert payload["userErrors"] == []
    assert payload["conflict"]["resolution"] == "SHEET"
    assert payload["conflict"]["resolvedBy"] == "token:교육지원청 담당자"
    assert (await BudgetLine.get(id=line.id)).allocated == line.allocated + 1_000_000
    pending = await run("{ conflicts { totalCount } }", viewer="partner")
    assert pending["data"]["conflicts"]["totalCount"] == 0


async def test_conflict_resolve_user_errors(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    missing = await run(RESOLVE, {"input": {"id": str(GlobalID("SyncConflict", "999")), "keep": "DATABASE"}})
    assert [(e["field"], e["code"]) for e in missing["data"]["conflictResolve"]["userErrors"]] == [
        ("id", "NOT_FOUND")
    ]
    wrong_type = await run(RESOLVE, {"input": {"id": str(GlobalID("School", "1")), "keep": "DATABASE"}})
    assert wrong_type["data"]["conflictResolve"]["userErrors"][0]["code"] == "NOT_FOUND"
    # Keeping a sheet value the business rules refuse is a user error, and nothing changes.
    conflict = await _conflict(world.lines[0], -5)
    refused = await run(
        RESOLVE, {"input": {"id": str(GlobalID("SyncConflict", str(conflict.id))), "keep": "SHEET"}}
    )
    errors = refused["data"]["conflictResolve"]["userErrors"]
    assert [e["code"] for e in errors] == ["NEGATIVE_AMOUNT"]
    assert (await SyncConflict.get(id=conflict.id)).resolved_at is None
    assert (await BudgetLine.get(id=world.lines[0].id)).allocated == world.lines[0].allocated
