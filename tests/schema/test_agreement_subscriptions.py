"""The change stream carries agreements, supplementary agreements and allocations, over a real
WebSocket; both engines."""

from __future__ import annotations

import asyncio

from api.live.client import GraphQLWebSocket
from models.enums import Role
from models.services import tokens
from pubsub import channels
from schema.live.state import current_pubsub
from tests.models.services.agreement_world import (
    agreement,
    allocation_fields,
    program,
    set_allocation,
    supplement,
)
from tests.schema.test_subscriptions import _until, server  # noqa: F401  (the fixture)

CHANGES = """subscription {
  changes(types: [AGREEMENT, SUPPLEMENTARY_AGREEMENT, ALLOCATION]) { recordType action changes }
}"""


async def test_the_change_stream_carries_the_new_record_types(server: str) -> None:  # noqa: F811
    _, secret = await tokens.create(name="협력기관", role=Role.PARTNER)
    async with GraphQLWebSocket.connect(server, token=secret) as ws:
        await ws.subscribe("c", CHANGES)
        await _until(lambda: current_pubsub().subscriber_count(channels.CHANGES) == 1)
        await program()  # a program's event: not one of the types asked for, never received
        await agreement()
        await supplement()
        await set_allocation(allocation_fields())
        received = [(await asyncio.wait_for(ws.next("c"), 10))["changes"] for _ in range(3)]
    assert [(c["recordType"], c["action"]) for c in received] == [
        ("AGREEMENT", "CREATE"),
        ("SUPPLEMENTARY_AGREEMENT", "CREATE"),
        ("ALLOCATION", "CREATE"),
    ]
    assert received[0]["changes"]["term_end"] == [None, "2026-12-31"]
    assert received[1]["changes"]["agreement_code"] == [None, "HANAM-GHOE-2025"]
    assert received[2]["changes"]["shares"] == [None, {"CITY": 30_000_000, "OFFICE_OF_EDUCATION": 20_000_000}]
