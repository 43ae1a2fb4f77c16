"""A revoked or expired token ends its open WebSockets within a second (issue 15, item 4).

A real uvicorn and a real `websockets` client: a partner subscribed to `changes` with a token
that is revoked (announced on pub/sub, or only written to the database, as a hand edit or
`eduhub token revoke` without Redis does) or that expires, keeps its socket no longer than a
second, hears nothing after, and the token is refused over HTTP. Anonymous sockets are untouched.
Across two processes with Redis: tests/test_multiprocess_live.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from api.app import create_app
from api.live.client import GraphQLWebSocket
from api.live.token_watch import CLOSE_CODE, announce_revoked
from models.actor import SYSTEM_ACTOR
from models.api_token import ApiToken
from models.enums import Role, SchoolLevel
from models.services import schools, tokens
from models.services.write_scope import write_scope
from schema.live.state import current_pubsub
from tests.api.api_kit import make_settings, serving

CHANGES = "subscription { changes { recordType action } }"
STATUS = "subscription { syncStatus { openIssues } }"


@pytest.fixture
async def server(db: str) -> AsyncIterator[str]:
    async with serving(create_app(make_settings(db), manage_database=False)) as url:
        yield url


async def _school(code: str) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await schools.create(
            scope, {"code": code, "name": "미사초", "level": SchoolLevel.ELEMENTARY, "district": "미사"}
        )


async def _closed_within(ws: GraphQLWebSocket, seconds: float) -> tuple[float, int | None]:
    """Read until the server closes the socket; (seconds it took, close code)."""
    started = time.monotonic()
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(seconds + 2):
            while True:
                await ws.next("c")
    return time.monotonic() - started, closed.value.rcvd.code if closed.value.rcvd else None


@contextlib.asynccontextmanager
async def _subscribed(url: str, secret: str | None) -> AsyncIterator[GraphQLWebSocket]:
    async with GraphQLWebSocket.connect(url.replace("http", "ws") + "/graphql", token=secret) as ws:
        await ws.subscribe("c", CHANGES if secret else STATUS)
        yield ws


Revoke = Callable[[int], Awaitable[object]]


async def _announced(token_id: int) -> None:
    await tokens.revoke(token_id)
    await announce_revoked(current_pubsub(), token_id)


async def _by_hand(token_id: int) -> None:
    # No message at all: only the periodic check can notice.
    await ApiToken.filter(id=token_id).update(revoked_at=datetime.now(UTC))


@pytest.mark.parametrize("revoke", [_announced, _by_hand], ids=["announced", "database-only"])
async def test_a_revoked_token_ends_its_subscriptions_within_a_second(server: str, revoke: Revoke) -> None:
    token, secret = await tokens.create(name="교육지원청 파트너", role=Role.PARTNER)
    async with (
        _subscribed(server, secret) as partner,
        _subscribed(server, None) as anonymous,
    ):
        await _school("J1")
        assert await asyncio.wait_for(partner.next("c"), 5) == {
            "changes": {"recordType": "SCHOOL", "action": "CREATE"}
        }
        await revoke(token.id)
        took, code = await _closed_within(partner, 1.0)
        assert code == CLOSE_CODE
        assert took < 1.0, took
        # The anonymous dashboard next to it keeps its stream.
        assert "syncStatus" in await asyncio.wait_for(anonymous.next("c"), 5)
    async with httpx.AsyncClient(base_url=server) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ budgetLines { totalCount } }"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 401


async def test_an_expired_token_ends_its_subscriptions_within_a_second(server: str) -> None:
    token, secret = await tokens.create(
        name="기한부 파트너", role=Role.PARTNER, expires_in=timedelta(seconds=2)
    )
    assert token.expires_at is not None
    async with _subscribed(server, secret) as partner:
        remaining = (token.expires_at - datetime.now(UTC)).total_seconds()
        took, code = await _closed_within(partner, remaining + 1.0)
        assert code == CLOSE_CODE
        assert took - remaining < 1.0, (took, remaining)
    assert await tokens.authenticate(secret) is None
    with pytest.raises((ConnectionError, ConnectionClosed)):  # a new connection is refused at once
        async with GraphQLWebSocket.connect(server.replace("http", "ws") + "/graphql", token=secret):
            pass
