"""A shared request budget: a token bucket that keeps every caller under Google's per-user quota.

Google allows 60 requests per minute per user; the default budget spends at most 50 in any
minute so retries and the odd manual call still fit. Buckets are shared per name (one per
credential) across every gateway in the process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """``capacity`` requests at once, refilled at ``per_minute`` a minute."""

    per_minute: float = 50.0
    capacity: float = 10.0
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
            if self._tokens >= 1 - 1e-9:  # tolerance: float refills land a hair short of 1
                self._tokens -= 1
                return
            await self.sleep(max(0.001, (1 - self._tokens) * 60.0 / self.per_minute))

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.per_minute / 60.0)
        self._updated = now


_buckets: dict[str, TokenBucket] = {}


def shared_bucket(name: str, *, per_minute: float = 50.0) -> TokenBucket:
    """The process-wide bucket for one user (credential); created on first use."""
    bucket = _buckets.get(name)
    if bucket is None:
        bucket = _buckets[name] = TokenBucket(per_minute=per_minute)
    return bucket
