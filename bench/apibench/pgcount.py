"""A counting proxy in front of PostgreSQL: how many statements a server sends per request.

Only the untimed counting pass of `bench/api.py` goes through it (a proxy in the timed path
would add a hop to every statement and favour servers that send fewer). It forwards bytes both
ways and, on the client side, counts the protocol's Query ('Q', one simple-protocol string,
which may hold several statements, e.g. a pool's connection reset) and Execute ('E', one
extended-protocol statement) messages.
"""

from __future__ import annotations

import asyncio
import struct
from contextlib import suppress

# Untyped messages that may come before the startup message (SSLRequest, GSSENCRequest).
NEGOTIATION_CODES = frozenset({80877103, 80877104})


class CountingProxy:
    """Listens on a free local port; `count` is the number of statements seen so far."""

    def __init__(self, host: str = "127.0.0.1", port: int = 5432) -> None:
        self.upstream = (host, port)
        self.count = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def dsn(self, database: str) -> str:
        # No sslmode: the local server has SSL off, so no TLS ever passes through the proxy.
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        tasks = [
            asyncio.create_task(self._from_client(client_reader, server_writer)),
            asyncio.create_task(_pipe(server_reader, client_writer)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        for writer in (client_writer, server_writer):
            writer.close()

    async def _from_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:  # untyped: negotiation requests, then the startup message
                head = await reader.readexactly(8)
                length, code = struct.unpack("!ii", head)
                writer.write(head + await reader.readexactly(length - 8))
                await writer.drain()
                if code not in NEGOTIATION_CODES:
                    break
            while True:
                head = await reader.readexactly(5)
                if head[:1] in (b"Q", b"E"):
                    self.count += 1
                (length,) = struct.unpack("!i", head[1:])
                writer.write(head + await reader.readexactly(length - 4))
                await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with suppress(ConnectionError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
