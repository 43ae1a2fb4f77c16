"""Concurrent requests of one process share a clock read that started after they all arrived.

Every `/graphql` request that may reuse something (a cached answer, a token verdict) reads both
clocks first (`models.change_clock.read_both`). Under load many requests want that read at
once; one statement can serve them all, provided it is *sent after each of them arrived*: then
every commit that finished before a request was sent is in the value it gets, in every process,
exactly as if it had read the clocks alone.

So a request joins the read that has not been sent yet, never one already on its way: while a
read is in flight, new arrivals gather behind it and share the next one, sent as soon as the
one in flight returns. One request alone still costs one statement and one round trip; eight
at once cost one or two.

    reads = SharedClockReads()
    clocks = await reads.read()  # a value read after this call began
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from models import change_clock
from models.change_clock import Clocks
from models.db import postgres_connect_args


class SharedClockReads:
    """One process's clock reads, one at a time, each shared by everyone waiting when it was sent."""

    def __init__(self) -> None:
        self._waiting: list[asyncio.Future[Clocks]] = []  # for the next read: not sent yet
        self._reader: asyncio.Task[None] | None = None
        self._connect_args: dict[str, Any] | None = None  # set while `own_connection` is open
        self._connection: asyncpg.Connection | None = None

    async def read(self) -> Clocks:
        # A future of its own for each caller: one that goes away (a client disconnect cancels
        # it) leaves the others' read alone, without asyncio.shield's extra future per call.
        waiter: asyncio.Future[Clocks] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._send_all())
        return await waiter

    @contextlib.asynccontextmanager
    async def own_connection(self, database_url: str) -> AsyncIterator[None]:
        """While open (the app's lifespan), reads on PostgreSQL go over a connection of their own.

        A read through the ORM's pool pays for taking and giving back a pooled connection, which
        costs about as much CPU as the read itself (bench/api.py, hot answers). The connection is
        opened on the first read and again after it breaks; closed when this closes. Outside it
        (SQLite, or an app whose lifespan never ran) reads go through the pool.
        """
        self._connect_args = postgres_connect_args(database_url)
        try:
            yield
        finally:
            self._connect_args = None
            connection, self._connection = self._connection, None
            if connection is not None and not connection.is_closed():
                await connection.close()

    async def _send_all(self) -> None:
        # One turn of the loop first: requests whose bytes came in the same poll are on their
        # way here, and join this read instead of the next one (about 6 requests a read under
        # wrk -c8 on a hot answer instead of 3); still sent after every one of them arrived.
        await asyncio.sleep(0)
        while self._waiting:
            batch, self._waiting = self._waiting, []  # arrivals from now on wait for the next read
            try:
                clocks = await self._read_once()
            except Exception as error:  # every waiter of this read sees the failure (e.g. database down)
                for waiter in batch:
                    if not waiter.done():
                        waiter.set_exception(error)
            else:
                for waiter in batch:
                    if not waiter.done():
                        waiter.set_result(clocks)

    async def _read_once(self) -> Clocks:
        if self._connect_args is None:
            return await change_clock.read_both()
        if self._connection is None or self._connection.is_closed():
            self._connection = None
            self._connection = await asyncpg.connect(**self._connect_args)
        return change_clock.clocks_of(await self._connection.fetch(change_clock.READ_ALL))
