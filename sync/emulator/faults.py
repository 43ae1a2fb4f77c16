"""Fault injection for tests: latency, 5xx, 429, dropped connections and held requests, at a rate
or for the next N matching requests.

A rule fires at one of two stages: ``before`` the request is applied (the default: nothing
changed in the store), or ``after`` it was applied and before the answer is sent (the change is
in the sheet, the client has not heard back). ``hold`` keeps a request waiting at its stage until
the test lets it go; a crash test waits for :meth:`Faults.holding` and then kills the client.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["latency", "error", "quota", "drop", "hold"]
FaultStage = Literal["before", "after"]

# A hold nobody releases must still end: uvicorn waits for running requests when it stops.
HOLD_LIMIT_SECONDS = 60.0


@dataclass(eq=False)
class Fault:
    """One rule; ``count`` None means "until cleared", ``rate`` is the chance per request.

    For ``hold``, ``delay`` (if set) bounds the wait instead of :data:`HOLD_LIMIT_SECONDS`.
    """

    kind: FaultKind
    rate: float = 1.0
    count: int | None = None
    status: int = 503
    delay: float = 0.0
    method: str | None = None  # e.g. "sheets.spreadsheets.values.batchGet"; None matches all
    stage: FaultStage = "before"
    released: threading.Event = field(default_factory=threading.Event, repr=False)
    dropped: bool = False


class Faults:
    """The active rules; :meth:`pick` decides, per request, which rules fire."""

    def __init__(self, seed: int | None = None) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._waiting: list[Fault] = []  # one entry per request a hold keeps now
        self._holding: Counter[str] = Counter()

    def inject(
        self,
        kind: FaultKind,
        *,
        rate: float = 1.0,
        count: int | None = None,
        status: int = 503,
        delay: float = 0.0,
        method: str | None = None,
        stage: FaultStage = "before",
    ) -> Fault:
        """Add a rule. ``inject("error", count=2)`` fails the next two requests with 503;
        ``inject("hold", count=1, method=m, stage="after")`` applies the next ``m`` and keeps its
        answer until :meth:`release` (answered) or :meth:`clear` (never answered)."""
        fault = Fault(kind, rate, count, status, delay, method, stage)
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every rule; requests held now are dropped (and never applied if held before)."""
        with self._lock:
            self._rules.clear()
            for fault in self._waiting:
                fault.dropped = True
                fault.released.set()

    def release(self) -> None:
        """Let every held request go on, as if the network had only been slow."""
        with self._lock:
            for fault in self._waiting:
                fault.released.set()

    def holding(self, method: str | None = None) -> int:
        """How many requests (of ``method``, or of any) a hold keeps waiting right now."""
        with self._lock:
            return sum(self._holding.values()) if method is None else self._holding[method]

    def pick(self, method: str) -> list[Fault]:
        """The rules that fire for this request (consuming their counts)."""
        fired: list[Fault] = []
        with self._lock:
            for fault in list(self._rules):
                if fault.method is not None and fault.method != method:
                    continue
                if self._random.random() >= fault.rate:
                    continue
                fired.append(fault)
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._rules.remove(fault)
        return fired

    async def wait(self, fault: Fault, method: str) -> bool:
        """Delay one request for a latency or hold rule; False when it is to be dropped."""
        if fault.kind == "latency":
            await asyncio.sleep(fault.delay)
            return True
        with self._lock:
            self._waiting.append(fault)
            self._holding[method] += 1
        try:
            # Waited for in a thread: the release comes from another thread (the test's).
            await asyncio.to_thread(fault.released.wait, fault.delay or HOLD_LIMIT_SECONDS)
        finally:
            with self._lock:
                self._waiting.remove(fault)
                self._holding[method] -= 1
        return not fault.dropped
