"""The event loop of the web process: uvloop where it is installed, else asyncio's own.

Under load a web process spends a good share of its time in the loop itself (socket writes,
callbacks, timers); uvloop does that work in C. HTTP parsing is httptools (uvicorn picks it
when installed). Both come with `uvicorn[standard]` and are listed in pyproject.toml.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)` on uvloop when available."""
    try:
        import uvloop
    except ImportError:  # e.g. Windows, where uvloop does not build
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
