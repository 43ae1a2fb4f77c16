"""Reading and advancing the change clock (`models.change_event.ChangeClock`).

Row 1 counts committed write transactions of the service layer (the response cache's freshness
test). Row 2 is the token clock: ticked by database triggers on every write to api_token
(migration 0014_token_clock), so it moves with a revoke made by any means. `read_both` reads
the two in one statement: a hot request pays one statement for both freshness tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.connection import get_connection

CLOCK_ID = 1
TOKEN_CLOCK_ID = 2
# An upsert so a fresh database needs no seed row; it row-locks the clock until commit, which
# serializes writers only for the instant between this statement and their commit.
_TICK = (
    "INSERT INTO change_clock (id, count) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET count = change_clock.count + 1"
)
_READ_BOTH = "SELECT id, count FROM change_clock WHERE id IN (1, 2)"


@dataclass(frozen=True, slots=True)
class Clocks:
    changes: int  # committed write transactions so far (0 before the first)
    tokens: int | None  # None: no token clock row (not migrated to 0015): nothing may be reused


async def tick(connection: Any) -> None:
    """Advance the clock inside the writer's transaction (its last statement before commit)."""
    await connection.execute_query(_TICK)


async def tick_after(connection: Any, insert: str, values: list[Any]) -> list[dict[str, Any]]:
    """Run `insert` (an INSERT ... RETURNING) and advance the clock, in one statement (PostgreSQL:
    both data-modifying parts of a WITH run, whatever the query reads); returns what it returned."""
    _, rows = await connection.execute_query(
        f"WITH inserted AS ({insert}), tick AS ({_TICK}) SELECT * FROM inserted",  # noqa: S608  (Tortoise's INSERT)
        values,
    )
    return [dict(row) for row in rows]


async def read() -> int:
    """Committed write transactions so far (0 before the first)."""
    _, rows = await get_connection("default").execute_query("SELECT count FROM change_clock WHERE id = 1")
    return int(rows[0]["count"]) if rows else 0


async def read_both() -> Clocks:
    """Both clocks, committed values, in one statement."""
    _, rows = await get_connection("default").execute_query(_READ_BOTH)
    counts = {int(row["id"]): int(row["count"]) for row in rows}
    return Clocks(counts.get(CLOCK_ID, 0), counts.get(TOKEN_CLOCK_ID))
