"""syncCycleRevert, syncStatus.recentCycles and history's cycleId after a real cycle (both engines)."""

from __future__ import annotations

from models import sync_cycle
from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_cycle import SyncCycle
from tests.schema.schema_kit import Run
from tests.sync.conftest import World, add_school

REVERT = """mutation($cycleId: Int!, $dryRun: Boolean!) {
  syncCycleRevert(input: {cycleId: $cycleId, dryRun: $dryRun}) {
    cycleId dryRun
    restored { recordType recordId field valueNow valueBack }
    conflicts { recordType recordId field valueNow valueBack reason }
    userErrors { field message code }
  }
}"""


async def _pasted(world: World) -> tuple[list[int], int]:
    ids = [await add_school(code=f"75300{i}", name=f"학교{i}", students=100 + i) for i in range(2)]
    await world.settle()
    world.tab("학교").update([["1"], ["2"]], "F2:F3", raw=False)
    await world.cycle()
    cycle = await SyncCycle.filter(to_database__gt=0).order_by("-id").first()
    assert cycle is not None
    return ids, int(cycle.pk)


async def test_revert_through_graphql_with_a_conflict(run: Run, world: World) -> None:
    ids, cycle_id = await _pasted(world)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.update(scope, await School.get(id=ids[1]), {"students": 55})
    body = await run(REVERT, {"cycleId": cycle_id, "dryRun": False}, viewer="admin")
    payload = body["data"]["syncCycleRevert"]
    assert payload["userErrors"] == [] and payload["cycleId"] == cycle_id
    restored = [(c["field"], c["valueNow"], c["valueBack"]) for c in payload["restored"]]
    assert restored == [("students", 1, 100)]
    (conflict,) = payload["conflicts"]
    assert (conflict["field"], conflict["valueNow"], conflict["valueBack"]) == ("students", 55, 101)
    assert "다시 수정" in conflict["reason"]
    assert [s.students for s in await School.all().order_by("id")] == [100, 55]


async def test_second_revert_and_unknown_cycle_are_korean_user_errors(run: Run, world: World) -> None:
    _, cycle_id = await _pasted(world)
    await run(REVERT, {"cycleId": cycle_id, "dryRun": False}, viewer="admin")
    again = (await run(REVERT, {"cycleId": cycle_id, "dryRun": False}, viewer="admin"))["data"]
    (error,) = again["syncCycleRevert"]["userErrors"]
    assert (error["field"], error["code"]) == ("cycleId", "ALREADY_REVERTED")
    assert "이미 되돌렸습니다" in error["message"]
    unknown = (await run(REVERT, {"cycleId": 4242, "dryRun": True}, viewer="admin"))["data"]
    (error,) = unknown["syncCycleRevert"]["userErrors"]
    assert error["code"] == "NOT_FOUND" and "#4242" in error["message"]


async def test_only_admins_may_revert(run: Run, world: World) -> None:
    _, cycle_id = await _pasted(world)
    before = await ChangeEvent.all().count()
    for viewer in ("staff", "partner", "anonymous"):
        body = await run(REVERT, {"cycleId": cycle_id, "dryRun": False}, viewer=viewer)
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN" and "관리자" in error["message"]
    assert await ChangeEvent.all().count() == before
    assert (await SyncCycle.get(id=cycle_id)).reverted_at is None


async def test_dry_run_through_graphql_writes_nothing(run: Run, world: World) -> None:
    _, cycle_id = await _pasted(world)
    before = await ChangeEvent.all().count()
    payload = (await run(REVERT, {"cycleId": cycle_id, "dryRun": True}, viewer="admin"))["data"]
    assert payload["syncCycleRevert"]["dryRun"] is True
    assert len(payload["syncCycleRevert"]["restored"]) == 2
    assert await ChangeEvent.all().count() == before
    assert [s.students for s in await School.all().order_by("id")] == [1, 2]


async def test_history_and_sync_status_show_the_cycle(run: Run, world: World) -> None:
    _, cycle_id = await _pasted(world)
    school = (await run("{ schools { nodes { id } } }"))["data"]["schools"]["nodes"][0]["id"]
    history = await run(
        "query($id: ID!) { history(recordId: $id) { nodes { cycleId changes { field } } } }",
        {"id": school},
        viewer="partner",
    )
    nodes = history["data"]["history"]["nodes"]
    assert [n["cycleId"] for n in nodes] == [cycle_id, None]  # newest first: the paste, then the create
    status = await run(
        "{ syncStatus { recentCycles { cycleId outcome toDatabase created toSheet revertedAt } } }",
        viewer="anonymous",
    )
    cycles = status["data"]["syncStatus"]["recentCycles"]
    assert cycles[0] == {
        "cycleId": cycle_id,
        "outcome": "SUCCEEDED",
        "toDatabase": 2,
        "created": 0,
        "toSheet": 0,
        "revertedAt": None,
    }
    assert len(cycles) == await SyncCycle.all().count() <= 10
    assert [c["cycleId"] for c in cycles] == sorted((c["cycleId"] for c in cycles), reverse=True)


async def test_a_running_cycle_is_refused_and_an_abandoned_one_shows_and_reverts(
    run: Run, world: World
) -> None:
    ids, _ = await _pasted(world)
    left = await sync_cycle.start(world.key)  # a worker died mid-cycle
    running = (await run(REVERT, {"cycleId": left, "dryRun": False}, viewer="admin"))["data"]
    (error,) = running["syncCycleRevert"]["userErrors"]
    assert (error["field"], error["code"]) == ("cycleId", "CYCLE_RUNNING") and "진행 중" in error["message"]
    world.tab("학교").update([["9"]], "F2", raw=False)
    await world.cycle()  # the next cycle ends the one left running
    status = await run("{ syncStatus { recentCycles { cycleId outcome finishedAt } } }", viewer="anonymous")
    by_id = {c["cycleId"]: c for c in status["data"]["syncStatus"]["recentCycles"]}
    assert by_id[left]["outcome"] == "ABANDONED" and by_id[left]["finishedAt"] is not None
    body = (await run(REVERT, {"cycleId": left, "dryRun": False}, viewer="admin"))["data"]
    assert body["syncCycleRevert"]["userErrors"] == [] and body["syncCycleRevert"]["restored"] == []
    assert (await School.get(id=ids[0])).students == 9  # it had committed nothing to take back
