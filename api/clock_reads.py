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

from models import change_clock
from models.change_clock import Clocks


class SharedClockReads:
    """One process's clock reads, one at a time, each shared by everyone waiting when it was sent."""

    def __init__(self) -> None:
        self._waiting: asyncio.Future[Clocks] | None = None  # the next read: not sent yet
        self._reader: asyncio.Task[None] | None = None

    async def read(self) -> Clocks:
        if self._waiting is None:
            self._waiting = asyncio.get_running_loop().create_future()
        joined = self._waiting
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._send_all())
        # Shielded: one caller that goes away (a client disconnect) does not cancel the others' read.
        return await asyncio.shield(joined)

    async def _send_all(self) -> None:
        while self._waiting is not None:
            batch, self._waiting = self._waiting, None  # arrivals from now on wait for the next read
            try:
                batch.set_result(await change_clock.read_both())
            except Exception as error:  # every waiter of this read sees the failure (e.g. database down)
                batch.set_exception(error)
