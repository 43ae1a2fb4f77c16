"""The corked transport: a response's head and body leave in one write, nothing is held back,
and real uvicorn with it answers plain, HEAD, streamed, keep-alive and WebSocket requests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect

from api.http_protocol import CorkedHttpToolsProtocol, CorkedTransport
from sync.emulator.server import free_port


class RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


async def test_a_write_joins_the_next_one_and_a_lone_write_leaves_one_loop_turn_later() -> None:
    real = RecordingTransport()
    corked = CorkedTransport(real, asyncio.get_running_loop())
    corked.write(b"HTTP/1.1 200 OK\r\n\r\n")
    corked.write(b"body")
    assert real.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
    corked.write(b"lone")
    assert real.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]  # held, for now
    await asyncio.sleep(0)
    assert real.writes[-1] == b"lone"
    corked.write(b"last")
    corked.close()
    assert real.writes[-1] == b"last" and real.closed  # closing flushes first
    assert corked.is_closing()  # everything else is the real transport's


async def _hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("안녕" * (1 + int(request.query_params.get("n", "0"))))


async def _stream(request: Request) -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for index in range(3):
            await asyncio.sleep(0.01)
            yield f"chunk{index};".encode()

    return StreamingResponse(chunks())


async def _echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())
    await websocket.close()


@contextlib.asynccontextmanager
async def _server() -> AsyncIterator[str]:
    routes = [
        Route("/", _hello, methods=["GET", "HEAD"]),
        Route("/stream", _stream),
        WebSocketRoute("/ws", _echo),
    ]
    port = free_port()
    config = uvicorn.Config(
        Starlette(routes=routes),
        port=port,
        log_config=None,
        http=CorkedHttpToolsProtocol,
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  (uvicorn offers no event to wait on)
        await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_uvicorn_on_the_corked_transport_answers_every_kind_of_request() -> None:
    async with _server() as address, httpx.AsyncClient(base_url=f"http://{address}") as client:
        for n in (0, 5, 40_000):  # small, and larger than a socket buffer
            response = await client.get("/", params={"n": n})
            assert response.status_code == 200 and response.text == "안녕" * (n + 1)
        head = await client.head("/")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len("안녕".encode()))
        streamed = await client.get("/stream")
        assert streamed.text == "chunk0;chunk1;chunk2;"
        answers = await asyncio.gather(*(client.get("/", params={"n": i}) for i in range(20)))
        assert [r.text for r in answers] == ["안녕" * (i + 1) for i in range(20)]
        async with connect(f"ws://{address}/ws") as websocket:
            await websocket.send("하남")
            assert await websocket.recv() == "하남"
