"""A real WebSocket `changes` subscription hears carry-over and year closing (as in test_subscriptions)."""

from __future__ import annotations

import asyncio

from api.live.client import GraphQLWebSocket
from models.actor import SYSTEM_ACTOR
from models.enums import Role
from models.services import tokens, year_closing
from models.services.carry_over import carry_over
from models.services.write_scope import write_scope
from pubsub import channels
from schema.live.state import current_pubsub
from tests.models.services.budget_kit import make_line, make_program
from tests.schema.test_subscriptions import _until, server  # noqa: F401  (server: a fixture)

CHANGES = (
    "subscription { changes(types: [BUDGET_LINE, FISCAL_YEAR_CLOSING]) "
    "{ recordType recordId action changedFields changes actorName } }"
)


async def test_carry_over_and_closing_stream_one_change_per_record(server: str) -> None:  # noqa: F811
    await make_program()
    line = await make_line(executed=6_000_000)
    await make_line(funder="OFFICE_OF_EDUCATION", executed=1_000_000, carried_out=2_000_000)
    _, secret = await tokens.create(name="교육지원청", role=Role.PARTNER)
    async with GraphQLWebSocket.connect(server, token=secret) as partner:
        await partner.subscribe("c", CHANGES)
        await _until(lambda: current_pubsub().subscriber_count(channels.CHANGES) == 1)
        async with write_scope(SYSTEM_ACTOR) as scope:
            await carry_over(scope, line.id, 3_000_000)
        settled = (await asyncio.wait_for(partner.next("c"), 10))["changes"]
        created = (await asyncio.wait_for(partner.next("c"), 10))["changes"]
        assert (settled["recordType"], settled["action"]) == ("BUDGET_LINE", "UPDATE")
        assert settled["changes"] == {
            "stage": ["PLANNED", "SETTLED"],
            "carried_out": [0, 3_000_000],
            "unused": [0, 1_000_000],
        }
        assert (created["recordType"], created["action"]) == ("BUDGET_LINE", "CREATE")
        assert created["changes"]["carried_in"] == [None, 3_000_000]
        assert created["changes"]["fiscal_year"] == [None, 2026]

        async with write_scope(SYSTEM_ACTOR) as scope:
            await year_closing.close(scope, 2025)
        heard = [(await asyncio.wait_for(partner.next("c"), 10))["changes"] for _ in range(3)]
        assert [(h["recordType"], h["action"]) for h in heard] == [
            ("BUDGET_LINE", "UPDATE"),  # `other` settled
            ("BUDGET_LINE", "CREATE"),  # its 2026 line
            ("FISCAL_YEAR_CLOSING", "CREATE"),
        ]
        assert heard[0]["changes"]["unused"] == [0, 7_000_000]
        assert heard[2]["changes"]["lines_settled"] == [None, 1]
