"""A small graphql-transport-ws client on the `websockets` package (tests, benchmarks, scripts).

async with GraphQLWebSocket.connect("ws://127.0.0.1:8000/graphql", token="ehub_...") as ws:
    await ws.subscribe("1", "subscription { syncStatus { openIssues } }")
    payload = await ws.next("1")
"""

from __future__ import annotations

import contextlib
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")


class GraphQLSubscriptionError(Exception):
    """The server answered a subscription with an `error` message."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(e.get("message")) for e in errors))
        self.errors = errors


class GraphQLWebSocket:
    """One connection; `next(id)` returns the next `data` of that subscription."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self._buffered: dict[str, deque[dict[str, Any]]] = defaultdict(deque)

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(
        cls, url: str, *, token: str | None = None, origin: str | None = None
    ) -> AsyncIterator[GraphQLWebSocket]:
        """Open, send `connection_init` (with the token, if any) and wait for `connection_ack`."""
        async with connect(
            url, subprotocols=[PROTOCOL], origin=Origin(origin) if origin else None, max_size=2**24
        ) as socket:
            client = cls(socket)
            payload = {"authorization": f"Bearer {token}"} if token else {}
            await client._send({"type": "connection_init", "payload": payload})
            ack = await client._receive()
            if ack.get("type") != "connection_ack":
                raise ConnectionError(f"expected connection_ack, got {ack!r}")
            yield client

    async def subscribe(self, operation_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        await self._send(
            {
                "id": operation_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )

    async def complete(self, operation_id: str) -> None:
        await self._send({"id": operation_id, "type": "complete"})

    async def next(self, operation_id: str) -> dict[str, Any]:
        """The next result's `data`; raises on an `error` message or a result with errors."""
        while not self._buffered[operation_id]:
            message = await self._receive()
            if message.get("type") == "ping":
                await self._send({"type": "pong"})
            elif "id" in message:
                self._buffered[message["id"]].append(message)
        message = self._buffered[operation_id].popleft()
        if message["type"] == "error":
            raise GraphQLSubscriptionError(message["payload"])
        if message["type"] == "complete":
            raise StopAsyncIteration(operation_id)
        result: dict[str, Any] = message["payload"]
        if result.get("errors"):
            raise GraphQLSubscriptionError(result["errors"])
        data: dict[str, Any] = result["data"]
        return data

    async def _send(self, message: dict[str, Any]) -> None:
        await self.socket.send(orjson.dumps(message).decode())

    async def _receive(self) -> dict[str, Any]:
        raw = await self.socket.recv()
        message: dict[str, Any] = orjson.loads(raw)
        return message
