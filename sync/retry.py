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

from sync.errors import SheetsUnavailable, SheetWriteUncertain

T = TypeVar("T")


def is_rejected_unapplied(error: BaseException) -> bool:
    """True only for failures that certainly left the sheet untouched: Google refuses over-quota
    requests (429) before applying them. A 5xx, a timeout or a dropped connection may follow an
    applied request, so a write that is not idempotent must not be resent after one."""
    return isinstance(error, APIError) and error.code == 429


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

    async def call(
        self,
        description: str,
        fn: Callable[[], Awaitable[T]],
        *,
        retry_if: Callable[[BaseException], bool] = is_transient,
    ) -> T:
        """Run ``fn``, retrying the failures ``retry_if`` accepts; a transient failure it does not
        accept (an ambiguous answer to a non-idempotent write) raises :class:`SheetWriteUncertain`."""
        retrying = AsyncRetrying(
            retry=retry_if_exception(retry_if),
            wait=wait_random_exponential(multiplier=self.initial, max=self.cap),
            stop=stop_after_attempt(self.attempts),
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await fn()
        except Exception as error:
            if is_transient(error) and not retry_if(error):
                raise SheetWriteUncertain(
                    f"{description} failed in a way that may have applied it ({error}); not resent, "
                    "the next cycle reads the sheet and finishes the write"
                ) from error
            if not isinstance(error, RetryError):
                raise
            cause = error.last_attempt.exception()
            raise SheetsUnavailable(
                f"{description} failed after {self.attempts} attempts: {cause}"
            ) from cause
        raise AssertionError("unreachable")  # pragma: no cover
