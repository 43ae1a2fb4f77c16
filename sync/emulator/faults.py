"""Fault injection for tests: latency, 5xx, 429 and dropped connections, at a rate or for the
next N matching requests."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["latency", "error", "quota", "drop"]


@dataclass
class Fault:
    """One rule; ``count`` None means "until cleared", ``rate`` is the chance per request."""

    kind: FaultKind
    rate: float = 1.0
    count: int | None = None
    status: int = 503
    delay: float = 0.0
    method: str | None = None  # e.g. "sheets.spreadsheets.values.batchGet"; None matches all


class Faults:
    """The active rules; :meth:`pick` decides, per request, which rules fire."""

    def __init__(self, seed: int | None = None) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def inject(
        self,
        kind: FaultKind,
        *,
        rate: float = 1.0,
        count: int | None = None,
        status: int = 503,
        delay: float = 0.0,
        method: str | None = None,
    ) -> Fault:
        """Add a rule. ``inject("error", count=2)`` fails the next two requests with 503."""
        fault = Fault(kind, rate, count, status, delay, method)
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

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
