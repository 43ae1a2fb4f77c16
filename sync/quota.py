"""A request budget: a token bucket that keeps every caller under Google's per-user quota.

Google allows 60 requests per minute per user; the default budget spends at most 50 in any
minute so retries and the odd manual call still fit. The quota counts every process using a
credential, so the worker's budget (:class:`DatabaseTokenBucket`) lives in the database that
all of them already share, one ``quota_bucket`` row per credential. :class:`TokenBucket` is
the same budget kept in one process's memory (tests, benchmarks).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from tortoise.exceptions import IntegrityError

from models.sync_state import QuotaBucket

PER_MINUTE = 50.0
CAPACITY = 10.0
_EPSILON = 1e-9  # float refills land a hair short of a whole token


class RequestBudget(Protocol):
    """What the gateway awaits before every request."""

    async def acquire(self) -> None:
        """Wait until one request may be sent, then spend it."""


def _wait_seconds(tokens: float, per_minute: float) -> float:
    """How long until ``tokens`` has refilled to one whole token."""
    return max(0.001, (1 - tokens) * 60.0 / per_minute)


@dataclass
class TokenBucket:
    """``capacity`` requests at once, refilled at ``per_minute`` a minute, in this process only."""

    per_minute: float = PER_MINUTE
    capacity: float = CAPACITY
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _tokens: float = field(init=False)
    _updated: float = field(init=False)

    def __post_init__(self) -> None:
        self._tokens = self.capacity
        self._updated = self.clock()

    async def acquire(self) -> None:
        """Wait until one request may be sent, then spend it."""
        # No lock: the event loop runs one coroutine at a time, and a waiter re-checks after sleeping.
        while True:
            self._refill()
            if self._tokens >= 1 - _EPSILON:
                self._tokens -= 1
                return
            await self.sleep(_wait_seconds(self._tokens, self.per_minute))

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.per_minute / 60.0)
        self._updated = now


# The level a row has refilled to by $1 (now), at $2 tokens a second. A clock behind the row's
# (another host's) adds nothing rather than taking tokens away.
_LEVEL = "(tokens + CASE WHEN updated_at < $1 THEN $1 - updated_at ELSE 0 END * $2)"
# Refill and spend in one statement: atomic on PostgreSQL (row lock) and SQLite (write lock)
# alike, with no transaction held open. updated_at never moves backwards. Built from constants
# only; every value is a bound parameter.
_SPEND = (
    f"UPDATE quota_bucket SET tokens = CASE WHEN {_LEVEL} > $3 THEN $3 ELSE {_LEVEL} END - 1, "  # noqa: S608
    "updated_at = CASE WHEN updated_at < $1 THEN $1 ELSE updated_at END "
    f"WHERE name = $4 AND {_LEVEL} >= $5"
)


@dataclass
class DatabaseTokenBucket:
    """The budget of credential ``name``, shared by every process on the same database.

    Each :meth:`acquire` is one conditional UPDATE that refills the row for the time passed
    and spends a token if there is one; when there is none it sleeps (no transaction or lock
    held) until one has refilled and tries again, since another process may have taken it.
    Must not be awaited inside a database transaction: the row would stay locked until it ends.

    ``clock`` is wall time, shared across processes and hosts; a host whose clock runs ``s``
    seconds ahead can spend at most ``s`` seconds' worth of refill early, once.
    """

    name: str
    per_minute: float = PER_MINUTE
    capacity: float = CAPACITY
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def acquire(self) -> None:
        """Wait until one request may be sent, then spend it."""
        while True:
            now = self.clock()
            if await self._spend(now):
                return
            row = await QuotaBucket.get_or_none(name=self.name)
            if row is None:
                if await self._create(now):
                    return
                continue
            elapsed = max(0.0, now - row.updated_at)
            level = min(self.capacity, row.tokens + elapsed * self.per_minute / 60.0)
            await self.sleep(_wait_seconds(level, self.per_minute))

    async def _spend(self, now: float) -> bool:
        connection = QuotaBucket._meta.db
        # asyncpg numbers parameters $1, $2; SQLite spells the same ?1, ?2.
        sql = _SPEND if connection.capabilities.dialect == "postgres" else _SPEND.replace("$", "?")
        values = [now, self.per_minute / 60.0, float(self.capacity), self.name, 1 - _EPSILON]
        changed, _ = await connection.execute_query(sql, values)
        return changed == 1

    async def _create(self, now: float) -> bool:
        """The first request ever under this name: a full bucket, less the one spent."""
        try:
            await QuotaBucket.create(name=self.name, tokens=self.capacity - 1, updated_at=now)
        except IntegrityError:
            return False  # another process created it first; spend from theirs
        return True
