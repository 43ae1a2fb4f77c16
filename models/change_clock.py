"""Reading and advancing the change clock (`models.change_event.ChangeClock`)."""

from __future__ import annotations

from typing import Any

from tortoise.connection import get_connection

CLOCK_ID = 1
# An upsert so a fresh database needs no seed row; it row-locks the clock until commit, which
# serializes writers only for the instant between this statement and their commit.
_TICK = (
    "INSERT INTO change_clock (id, count) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET count = change_clock.count + 1"
)


async def tick(connection: Any) -> None:
    """Advance the clock inside the writer's transaction (its last statement before commit)."""
    await connection.execute_query(_TICK)


async def read() -> int:
    """Committed write transactions so far (0 before the first)."""
    _, rows = await get_connection("default").execute_query("SELECT count FROM change_clock WHERE id = 1")
    return int(rows[0]["count"]) if rows else 0
