"""The worker's wake-up call: an event that also remembers which requests rang it.

Several rings before the worker looks collapse into one cycle; that cycle's log records carry
every ringing request's id (`logs.request_id`), so a webhook call can be followed into it.
"""

from __future__ import annotations

import asyncio


class Wake(asyncio.Event):
    def __init__(self) -> None:
        super().__init__()
        self._request_ids: list[str] = []

    def ring(self, request_id: str | None = None) -> None:
        if request_id and request_id not in self._request_ids:
            self._request_ids.append(request_id)
        self.set()

    def take_request_ids(self) -> list[str]:
        """The ids of the rings since the last take (the cycle about to run answers them)."""
        taken, self._request_ids = self._request_ids, []
        return taken
