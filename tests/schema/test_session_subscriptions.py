"""activitySummary and the change stream for program sessions, over a real WebSocket; both engines."""

from __future__ import annotations

import asyncio
from datetime import date

from api.live.client import GraphQLWebSocket
from models.actor import SYSTEM_ACTOR
from models.enums import Role
from models.services import budget_lines, program_sessions, tokens
from models.services.write_scope import write_scope
from pubsub import channels
from schema.live.state import current_pubsub
from tests.schema.test_subscriptions import _line_world, _until, server  # noqa: F401  (the fixture)

ACTIVITY = """subscription($groupBy: [BudgetDimension!]!) {
  activitySummary(groupBy: $groupBy) {
    keys { label } sessions participants middle executed wonPerParticipant
  }
}"""


async def test_a_session_and_a_spend_push_fresh_activity_groups(server: str) -> None:  # noqa: F811
    line = await _line_world()  # program P1, executed 2,500,000
    async with GraphQLWebSocket.connect(server) as ws:
        await ws.subscribe("a", ACTIVITY, {"groupBy": ["CATEGORY"]})
        first = await asyncio.wait_for(ws.next("a"), 10)
        assert first["activitySummary"] == []  # no session yet
        async with write_scope(SYSTEM_ACTOR) as scope:
            await program_sessions.create(
                scope, {"program_code": "P1", "held_on": date(2025, 5, 2), "middle": 40}
            )
        pushed = (await asyncio.wait_for(ws.next("a"), 10))["activitySummary"]
        assert pushed == [
            {
                "keys": [{"label": "마을체험학교"}],
                "sessions": 1,
                "participants": 40,
                "middle": 40,
                "executed": 2_500_000,
                "wonPerParticipant": 62_500,
            }
        ]
        async with write_scope(SYSTEM_ACTOR) as scope:
            await budget_lines.update(scope, line, {"note": "메모만"})  # cannot matter: no push
            await budget_lines.update(scope, line, {"executed": 4_000_000})
        pushed = (await asyncio.wait_for(ws.next("a"), 10))["activitySummary"]
        assert (pushed[0]["executed"], pushed[0]["wonPerParticipant"]) == (4_000_000, 100_000)


async def test_the_change_stream_carries_program_sessions(server: str) -> None:  # noqa: F811
    await _line_world()
    _, secret = await tokens.create(name="협력기관", role=Role.PARTNER)
    async with GraphQLWebSocket.connect(server, token=secret) as ws:
        await ws.subscribe(
            "c", "subscription { changes(types: [PROGRAM_SESSION]) { recordType action changes } }"
        )
        await _until(lambda: current_pubsub().subscriber_count(channels.CHANGES) == 1)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await program_sessions.create(
                scope, {"program_code": "P1", "held_on": date(2025, 5, 2), "high": 3}
            )
        change = (await asyncio.wait_for(ws.next("c"), 10))["changes"]
        assert (change["recordType"], change["action"]) == ("PROGRAM_SESSION", "CREATE")
        assert change["changes"]["high"] == [None, 3]
        assert change["changes"]["program_code"] == [None, "P1"]
