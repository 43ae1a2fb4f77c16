"""Retry policy for Sheets calls: 429, 5xx, timeouts and dropped connections back off with jitter.

Anything else (400, 403, 404) is a real answer and is raised at once. When the budget is spent
the call raises :class:`SheetsUnavailable`, so a cycle that did not finish is reported failed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
from gspread.exceptions import APIError
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from sync.errors import SheetsUnavailable

T = TypeVar("T")


def is_transient(error: BaseException) -> bool:
    """True for failures worth retrying: quota (429), server errors, timeouts, dropped connections."""
    if isinstance(error, APIError):
        return error.code == 429 or error.code >= 500
    return isinstance(
        error, (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
    )


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; tests shrink the waits, never the rules."""

    attempts: int = 6
    initial: float = 1.0
    cap: float = 32.0

    async def call(self, description: str, fn: Callable[[], Awaitable[T]]) -> T:
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=wait_random_exponential(multiplier=self.initial, max=self.cap),
            stop=stop_after_attempt(self.attempts),
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await fn()
        except RetryError as error:
            cause = error.last_attempt.exception()
            raise SheetsUnavailable(
                f"{description} failed after {self.attempts} attempts: {cause}"
            ) from cause
        raise AssertionError("unreachable")  # pragma: no cover
