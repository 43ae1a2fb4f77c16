"""Subscriptions over a real WebSocket (graphql-transport-ws) against uvicorn on a free port.

Writes go through the service layer, as mutations do; the subscriber hears them through the
outbox bridge and the in-memory pub/sub, never by reading the database on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
import uvicorn
from websockets.exceptions import ConnectionClosed, InvalidStatus

from api.app import create_app
from api.graphql_app import EduhubGraphQL
from api.live.client import GraphQLSubscriptionError, GraphQLWebSocket
from api.live.sync_status import cycle_finished
from api.settings import Settings
from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import Funder, ProgramCategory, Role, SchoolLevel
from models.services import budget_lines, programs, schools, tokens
from models.services.write_scope import write_scope
from models.sync_state import SyncCursor, SyncIssue
from pubsub import channels
from schema import subscriptions
from schema.budget_summary import BudgetGroup, compute_budget_summary
from schema.live.state import current_pubsub

SUMMARY = """subscription($groupBy: [BudgetDimension!]!, $filter: BudgetFilter) {
  budgetSummary(groupBy: $groupBy, filter: $filter) { keys { value label } allocated executed executionRate }
}"""
ALLOWED_ORIGIN = "https://partners.example.kr"


@pytest.fixture
async def server(db: str) -> AsyncIterator[str]:
    """The real app under uvicorn in this test's event loop (it shares the Tortoise context)."""
    app = create_app(Settings(database_url=db, cors_allowed_origins=[ALLOWED_ORIGIN]), manage_database=False)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws="websockets-sansio")
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve())
    await _until(lambda: instance.started)
    port = instance.servers[0].sockets[0].getsockname()[1]
    yield f"ws://127.0.0.1:{port}/graphql"
    instance.should_exit = True
    await task


async def _until(condition: Callable[[], bool]) -> None:
    """Wait (bounded) for a condition the server reaches asynchronously."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


async def _line_world() -> BudgetLine:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.create(
            scope,
            {
                "code": "J100",
                "name": "미사초등학교",
                "level": SchoolLevel.ELEMENTARY,
                "district": "미사",
                "students": 300,
            },
        )
        await programs.create(
            scope,
            {
                "code": "P1",
                "name": "마을체험",
                "category": ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL,
                "school_code": "J100",
                "fiscal_year": 2025,
            },
        )
        line = await budget_lines.create(
            scope,
            {
                "program_code": "P1",
                "fiscal_year": 2025,
                "funder": Funder.CITY,
                "allocated": 10_000_000,
                "executed": 2_500_000,
            },
        )
    return line


async def test_a_write_pushes_fresh_budget_summary(server: str) -> None:
    line = await _line_world()
    async with GraphQLWebSocket.connect(server) as ws:
        await ws.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
        first = await asyncio.wait_for(ws.next("s"), 10)
        assert first["budgetSummary"] == [
            {
                "keys": [{"value": "CITY", "label": "하남시"}],
                "allocated": 10_000_000,
                "executed": 2_500_000,
                "executionRate": 0.25,
            }
        ]
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 5_000_000})
        pushed = await asyncio.wait_for(ws.next("s"), 10)
        assert pushed["budgetSummary"][0]["executed"] == 5_000_000
        assert pushed["budgetSummary"][0]["executionRate"] == 0.5


async def test_changes_that_do_not_alter_the_groups_push_nothing(server: str) -> None:
    line = await _line_world()
    async with GraphQLWebSocket.connect(server) as ws:
        await ws.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
        await asyncio.wait_for(ws.next("s"), 10)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"note": "메모만 바꿈"})  # skipped without a query
            await schools.create(
                scope,
                {
                    "code": "J200",
                    "name": "위례중학교",
                    "level": SchoolLevel.MIDDLE,
                    "district": "위례",
                    "students": 10,
                },
            )
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"allocated": 20_000_000})
        # The first message after the irrelevant writes is the relevant one.
        pushed = await asyncio.wait_for(ws.next("s"), 10)
        assert pushed["budgetSummary"][0]["allocated"] == 20_000_000


async def test_changes_stream_needs_a_token_and_streams_with_one(server: str) -> None:
    line = await _line_world()
    _, secret = await tokens.create(name="교육지원청", role=Role.PARTNER)
    async with GraphQLWebSocket.connect(server) as anonymous:
        await anonymous.subscribe("c", "subscription { changes { recordType } }")
        with pytest.raises(GraphQLSubscriptionError, match="토큰"):
            await asyncio.wait_for(anonymous.next("c"), 10)
    async with GraphQLWebSocket.connect(server, token=secret) as partner:
        await partner.subscribe(
            "c",
            "subscription { changes(types: [BUDGET_LINE]) "
            "{ recordType action changedFields changes actorName } }",
        )
        # The server registers the subscription when it reads the message; wait for that.
        await _until(lambda: current_pubsub().subscriber_count(channels.CHANGES) == 1)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await schools.create(
                scope,
                {
                    "code": "J300",
                    "name": "감일고",
                    "level": SchoolLevel.HIGH,
                    "district": "감일",
                    "students": 10,
                },
            )
            await budget_lines.update(scope, line, {"executed": 3_000_000})
        change = (await asyncio.wait_for(partner.next("c"), 10))["changes"]
        assert change == {
            "recordType": "BUDGET_LINE",
            "action": "UPDATE",
            "changedFields": ["executed"],
            "changes": {"executed": [2_500_000, 3_000_000]},
            "actorName": "eduhub",
        }


async def test_a_wrong_token_is_refused_at_connection_init(server: str) -> None:
    with pytest.raises(ConnectionClosed) as refused:
        async with GraphQLWebSocket.connect(server, token="ehub_not-a-real-token"):
            pass
    assert refused.value.rcvd is not None
    assert refused.value.rcvd.code == 4403


async def test_foreign_origins_are_refused_listed_and_same_origin_accepted(server: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with GraphQLWebSocket.connect(server, origin="https://evil.example.com"):
            pass
    assert refused.value.response.status_code == 403
    same = server.replace("ws://", "http://").removesuffix("/graphql")
    for origin in (ALLOWED_ORIGIN, same):
        async with GraphQLWebSocket.connect(server, origin=origin) as accepted:
            await accepted.subscribe("s", SUMMARY, {"groupBy": []})
            assert (await asyncio.wait_for(accepted.next("s"), 10))["budgetSummary"] == []


async def test_sync_status_is_public_and_follows_the_worker(server: str) -> None:
    _, secret = await tokens.create(name="교육지원청", role=Role.PARTNER)
    query = "subscription { syncStatus { openIssues lastSuccessAt lastCycleFailed lastError } }"
    async with (
        GraphQLWebSocket.connect(server) as anonymous,
        GraphQLWebSocket.connect(server, token=secret) as partner,
    ):
        for ws in (anonymous, partner):
            await ws.subscribe("s", query)
            assert (await asyncio.wait_for(ws.next("s"), 10))["syncStatus"] == {
                "openIssues": 0,
                "lastSuccessAt": None,
                "lastCycleFailed": False,
                "lastError": None,
            }
        # What a worker cycle leaves behind, then its hint.
        now = datetime.now(UTC)
        await SyncCursor.create(spreadsheet_key="k", last_cycle_at=now, last_success_at=now)
        await SyncIssue.create(
            spreadsheet_key="k", tab="예산", code="NOT_A_NUMBER", problem="숫자가 아닙니다"
        )
        await cycle_finished("k")
        for ws in (anonymous, partner):
            pushed = (await asyncio.wait_for(ws.next("s"), 10))["syncStatus"]
            assert pushed["openIssues"] == 1
            assert datetime.fromisoformat(pushed["lastSuccessAt"]) == now
        # A failed cycle: everyone sees that it failed, only the token holder reads why.
        await SyncCursor.filter(spreadsheet_key="k").update(last_error="HTTP 500 from sheets")
        await cycle_finished("k")
        seen = {
            name: (await asyncio.wait_for(ws.next("s"), 10))["syncStatus"]
            for name, ws in (("anonymous", anonymous), ("partner", partner))
        }
        assert seen["anonymous"]["lastCycleFailed"] and seen["anonymous"]["lastError"] is None
        assert seen["partner"]["lastError"] == "HTTP 500 from sheets"


async def test_a_malformed_message_on_the_channel_ends_no_subscription(server: str) -> None:
    line = await _line_world()
    async with GraphQLWebSocket.connect(server) as ws:
        await ws.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
        await asyncio.wait_for(ws.next("s"), 10)
        for garbage in (b"not json", b"[1, 2]", b'{"events": [{"id": "x"}]}'):
            await current_pubsub().publish(channels.CHANGES, garbage)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 7_000_000})
        pushed = await asyncio.wait_for(ws.next("s"), 10)
        assert pushed["budgetSummary"][0]["executed"] == 7_000_000


# Shared streams: identical subscriptions on one process share one execution and one encoding.


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts, in the server, budget computations and JSON encodings of result payloads."""
    counts: Counter[str] = Counter()
    compute, encode = compute_budget_summary, EduhubGraphQL.encode_json

    async def counted_compute(*args: Any, **kwargs: Any) -> list[BudgetGroup]:
        counts["compute"] += 1
        return await compute(*args, **kwargs)

    def counted_encode(self: EduhubGraphQL, data: object) -> bytes:
        counts["encode"] += isinstance(data, dict) and "data" in data
        return encode(self, data)

    monkeypatch.setattr(subscriptions, "compute_budget_summary", counted_compute)
    monkeypatch.setattr(EduhubGraphQL, "encode_json", counted_encode)
    return counts


def _changes_streams() -> int:
    """Streams listening to committed changes in the server (one per distinct subscription)."""
    return current_pubsub().subscriber_count(channels.CHANGES)


async def test_identical_subscriptions_share_one_execution_and_one_encoding(
    server: str, executions: Counter[str]
) -> None:
    line = await _line_world()
    async with contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(GraphQLWebSocket.connect(server)) for _ in range(5)]
        for number, ws in enumerate(sockets):
            await ws.subscribe(f"s{number}", SUMMARY, {"groupBy": ["FUNDER"]})
        # Each frame carries its subscriber's own operation id (`next` reads only that id).
        firsts = [await asyncio.wait_for(ws.next(f"s{n}"), 10) for n, ws in enumerate(sockets)]
        assert all(first == firsts[0] for first in firsts)
        assert firsts[0]["budgetSummary"][0]["executed"] == 2_500_000
        assert _changes_streams() == 1
        assert executions == {"compute": 1, "encode": 1}
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 5_000_000})
        pushed = [await asyncio.wait_for(ws.next(f"s{n}"), 10) for n, ws in enumerate(sockets)]
        assert all(one == pushed[0] for one in pushed)
        assert pushed[0]["budgetSummary"][0]["executed"] == 5_000_000
        assert executions == {"compute": 2, "encode": 2}


async def test_a_subscriber_that_leaves_does_not_stop_the_others(server: str) -> None:
    line = await _line_world()
    async with GraphQLWebSocket.connect(server) as staying, GraphQLWebSocket.connect(server) as completing:
        for ws in (staying, completing):
            await ws.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
            await asyncio.wait_for(ws.next("s"), 10)
        async with GraphQLWebSocket.connect(server) as leaving:
            await leaving.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
            await leaving.subscribe("own", SUMMARY, {"groupBy": ["LEVEL"]})  # to see it go
            await asyncio.wait_for(leaving.next("s"), 10)
            await asyncio.wait_for(leaving.next("own"), 10)
            assert _changes_streams() == 2
        await completing.complete("s")
        # Messages are handled in order: once this answers, the `complete` was handled.
        await completing.subscribe("other", SUMMARY, {"groupBy": []})
        await asyncio.wait_for(completing.next("other"), 10)
        await _until(lambda: _changes_streams() == 2)  # the leaver's own stream ended with it
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 6_000_000})
        pushed = await asyncio.wait_for(staying.next("s"), 10)
        assert pushed["budgetSummary"][0]["executed"] == 6_000_000
        await staying.complete("s")
        await _until(lambda: _changes_streams() == 1)  # the last one out stopped the stream
        await staying.subscribe("again", SUMMARY, {"groupBy": ["FUNDER"]})
        again = await asyncio.wait_for(staying.next("again"), 10)  # a fresh stream starts
        assert again["budgetSummary"][0]["executed"] == 6_000_000


async def test_a_late_joiner_gets_the_current_figures_at_once(server: str, executions: Counter[str]) -> None:
    line = await _line_world()
    async with GraphQLWebSocket.connect(server) as early, GraphQLWebSocket.connect(server) as late:
        await early.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
        await asyncio.wait_for(early.next("s"), 10)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 5_000_000})
        current = await asyncio.wait_for(early.next("s"), 10)
        await late.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
        assert await asyncio.wait_for(late.next("s"), 10) == current
        assert current["budgetSummary"][0]["executed"] == 5_000_000
        assert executions == {"compute": 2, "encode": 2}  # the joiner cost nothing


async def test_different_variables_or_access_do_not_share(server: str) -> None:
    await _line_world()
    _, secret = await tokens.create(name="교육지원청", role=Role.PARTNER)
    now = datetime.now(UTC)
    await SyncCursor.create(
        spreadsheet_key="k", last_cycle_at=now, last_success_at=now, last_error="HTTP 500 from sheets"
    )
    query = "subscription { syncStatus { lastCycleFailed lastError } }"
    async with contextlib.AsyncExitStack() as stack:
        anonymous = [await stack.enter_async_context(GraphQLWebSocket.connect(server)) for _ in range(2)]
        partners = [
            await stack.enter_async_context(GraphQLWebSocket.connect(server, token=secret)) for _ in range(2)
        ]
        by_funder, overall = anonymous
        await by_funder.subscribe("b", SUMMARY, {"groupBy": ["FUNDER"]})
        await overall.subscribe("b", SUMMARY, {"groupBy": []})
        assert len((await asyncio.wait_for(by_funder.next("b"), 10))["budgetSummary"][0]["keys"]) == 1
        assert (await asyncio.wait_for(overall.next("b"), 10))["budgetSummary"][0]["keys"] == []
        assert _changes_streams() == 2
        seen = []
        for ws in (*anonymous, *partners):
            await ws.subscribe("s", query)
            seen.append((await asyncio.wait_for(ws.next("s"), 10))["syncStatus"])
        assert seen == 2 * [{"lastCycleFailed": True, "lastError": None}] + 2 * [
            {"lastCycleFailed": True, "lastError": "HTTP 500 from sheets"}
        ]


async def test_changes_are_shared_without_replay_and_errors_reach_everyone(server: str) -> None:
    line = await _line_world()
    _, secret = await tokens.create(name="교육지원청", role=Role.PARTNER)
    query = "subscription { changes(types: [BUDGET_LINE]) { changes } }"
    async with contextlib.AsyncExitStack() as stack:
        first, second, late, refused, also_refused = [
            await stack.enter_async_context(GraphQLWebSocket.connect(server, token=token))
            for token in (secret, secret, secret, None, None)
        ]
        for ws in (refused, also_refused):
            await ws.subscribe("c", query)
            with pytest.raises(GraphQLSubscriptionError, match="토큰"):
                await asyncio.wait_for(ws.next("c"), 10)
        for ws in (first, second):
            await ws.subscribe("c", query)
        await _until(lambda: _changes_streams() == 1)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 3_000_000})
        for ws in (first, second):
            heard = await asyncio.wait_for(ws.next("c"), 10)
            assert heard["changes"]["changes"] == {"executed": [2_500_000, 3_000_000]}
        await late.subscribe("c", query)
        # Handled in order: once this answers, the late `changes` subscription has joined.
        await late.subscribe("b", SUMMARY, {"groupBy": []})
        await asyncio.wait_for(late.next("b"), 10)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 4_000_000})
        for ws in (first, second, late):  # the late joiner's first event is the one after it joined
            heard = await asyncio.wait_for(ws.next("c"), 10)
            assert heard["changes"]["changes"] == {"executed": [3_000_000, 4_000_000]}
        assert _changes_streams() == 2


async def test_queries_over_the_websocket_run_for_each_subscriber(server: str) -> None:
    await _line_world()
    async with GraphQLWebSocket.connect(server) as one, GraphQLWebSocket.connect(server) as other:
        for ws in (one, other):
            await ws.subscribe("q", "query { schools(first: 5) { totalCount } }")
            assert (await asyncio.wait_for(ws.next("q"), 10)) == {"schools": {"totalCount": 1}}
            with pytest.raises(StopAsyncIteration):
                await asyncio.wait_for(ws.next("q"), 10)


async def test_odd_subscribe_payloads_get_strawberrys_own_answer(server: str) -> None:
    status = "subscription { syncStatus { openIssues } }"
    for payload in ({"query": 1}, {"query": status, "operationName": ["x"]}, {"query": "subscription {"}):
        async with GraphQLWebSocket.connect(server) as ws:
            await ws.socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": payload}).decode())
            answer = orjson.loads(await asyncio.wait_for(ws.socket.recv(), 10))
            assert answer["id"] == "1" and answer["type"] in {"error", "complete"}


async def test_an_error_in_a_shared_stream_reaches_every_subscriber(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = await _line_world()
    async with GraphQLWebSocket.connect(server) as one, GraphQLWebSocket.connect(server) as other:
        for ws in (one, other):
            await ws.subscribe("s", SUMMARY, {"groupBy": ["FUNDER"]})
            await asyncio.wait_for(ws.next("s"), 10)

        async def broken(*args: object) -> list[BudgetGroup]:
            raise ConnectionError("database went away")

        monkeypatch.setattr(subscriptions, "compute_budget_summary", broken)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"executed": 5_000_000})
        seen = []
        for ws in (one, other):
            with pytest.raises(GraphQLSubscriptionError) as failed:
                await asyncio.wait_for(ws.next("s"), 10)
            seen.append(failed.value.errors)
            with pytest.raises(StopAsyncIteration):  # then `complete`, as before
                await asyncio.wait_for(ws.next("s"), 10)
        assert seen[0] == seen[1] and seen[0]
