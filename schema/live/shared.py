"""Share one recomputation among every subscriber that asks the same question after one change.

A thousand dashboards subscribed to the same `budgetSummary(groupBy: [FUNDER])` hear the same
change; they should cause one SQL query, not a thousand. A computation is keyed by the question
and stamped with the newest event id it may reflect: a caller that needs event N reuses any
computation for that question that started after event N was committed.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

_MAX_KEYS = 512


class SharedComputations(Generic[T]):
    """Per key, the latest computation and the event id it started after."""

    def __init__(self) -> None:
        self._latest: OrderedDict[Hashable, tuple[int, asyncio.Future[T]]] = OrderedDict()

    async def get(self, key: Hashable, after_event: int, compute: Callable[[], Awaitable[T]]) -> T:
        """A result that reflects every change up to `after_event` (computing one if needed)."""
        entry = self._latest.get(key)
        if entry is None or entry[0] < after_event:
            future: asyncio.Future[T] = asyncio.ensure_future(compute())
            entry = (after_event, future)
            self._latest[key] = entry
            self._latest.move_to_end(key)
            while len(self._latest) > _MAX_KEYS:
                self._latest.popitem(last=False)
        # shield: one subscriber going away must not cancel the query the others await.
        return await asyncio.shield(entry[1])
