"""The request id of the work in progress, carried into every log record.

A web request binds its id (the caller's `X-Request-ID` when it is a sane token, else a new
one); a sync cycle woken by the sheet webhook binds the ids of the requests that woke it, so
one grep follows a staff edit from the webhook call into the worker's cycle, also when the
worker runs in another process.
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
from collections.abc import Iterator
from contextvars import ContextVar, Token

HEADER = "x-request-id"
# Ids come from callers: only short plain tokens are kept, so a log line cannot be forged or bloated.
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current() -> str | None:
    return _current.get()


def accepted(offered: str | None) -> str:
    """The caller's id when it is a sane token, else a fresh one."""
    if offered is not None and _SANE.fullmatch(offered):
        return offered
    # 32 hex digits, as uuid4().hex gave. An id only has to be unique, not unguessable (it is no
    # secret: every response echoes it), so it comes from the process's PRNG (seeded from
    # os.urandom, and again in a forked child), not from a system call on every request.
    return f"{random.getrandbits(128):032x}"


@contextlib.contextmanager
def bound(request_id: str | None) -> Iterator[None]:
    """Records logged inside carry ``request_id`` (None: no id)."""
    token = bind(request_id)
    try:
        yield
    finally:
        unbind(token)


def bind(request_id: str | None) -> Token[str | None]:
    """`bound` without a context manager, for a caller on every request (a generator-based
    `with` costs more than the binding): pass the token to `unbind` in a `finally`."""
    return _current.set(request_id)


def unbind(token: Token[str | None]) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on each record as ``request_id`` (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
