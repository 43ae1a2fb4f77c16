"""Reading and advancing the change clock (`models.change_event.ChangeClock`).

The change clock counts committed write transactions of the service layer (the response
cache's freshness test). Row 2 is the token clock: ticked by database triggers on every write
to api_token (migration 0014_token_clock), so it moves with a revoke made by any means.
`read_both` reads the two in one statement: a hot request pays one statement for both tests.

The change clock is the sum of every other row: row 1 (where the count lived before) and
`SHARDS` rows from `FIRST_SHARD`, made on first use. A write ticks one of them as its last
statement and holds that row's lock until it commits, so writers that tick different rows no
longer wait for each other's commit (with one row, every write queued behind the previous
one's commit). The sum still rises by one with each commit and is read in one statement, so
a reader who sees the same sum twice knows nothing committed in between, in any process.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.connection import get_connection

CLOCK_ID = 1
TOKEN_CLOCK_ID = 2
FIRST_SHARD = 100
SHARDS = 16
# Writers of one process take the rows in turn; processes start apart.
_next_shard = itertools.count(os.getpid() % SHARDS)
READ_ALL = "SELECT id, count FROM change_clock"  # both clocks: `clocks_of` its rows


def _tick_sql(row: int) -> str:
    # An upsert so a fresh database needs no seed row; it row-locks that row until commit.
    return (
        f"INSERT INTO change_clock (id, count) VALUES ({row}, 1) "  # noqa: S608  (an int)
        "ON CONFLICT (id) DO UPDATE SET count = change_clock.count + 1"
    )


_TICKS = [_tick_sql(FIRST_SHARD + shard) for shard in range(SHARDS)]


def _tick() -> str:
    return _TICKS[next(_next_shard) % SHARDS]


@dataclass(frozen=True, slots=True)
class Clocks:
    changes: int  # committed write transactions so far (0 before the first)
    tokens: int | None  # None: no token clock row (not migrated to 0015): nothing may be reused


async def tick(connection: Any) -> None:
    """Advance the clock inside the writer's transaction (its last statement before commit)."""
    await connection.execute_query(_tick())


async def tick_after(connection: Any, insert: str, values: list[Any]) -> list[dict[str, Any]]:
    """Run `insert` (an INSERT ... RETURNING) and advance the clock, in one statement (PostgreSQL:
    both data-modifying parts of a WITH run, whatever the query reads); returns what it returned."""
    _, rows = await connection.execute_query(
        f"WITH inserted AS ({insert}), tick AS ({_tick()}) SELECT * FROM inserted",  # noqa: S608  (Tortoise's INSERT)
        values,
    )
    return [dict(row) for row in rows]


async def read() -> int:
    """Committed write transactions so far (0 before the first)."""
    return (await read_both()).changes


async def read_both() -> Clocks:
    """Both clocks, committed values, in one statement (the table has at most SHARDS + 2 rows)."""
    _, rows = await get_connection("default").execute_query(READ_ALL)
    return clocks_of(rows)


def clocks_of(rows: Iterable[Mapping[str, Any]]) -> Clocks:
    """Both clocks from the rows of `READ_ALL` (on any connection)."""
    tokens: int | None = None
    changes = 0
    for row in rows:
        if int(row["id"]) == TOKEN_CLOCK_ID:
            tokens = int(row["count"])
        else:
            changes += int(row["count"])
    return Clocks(changes, tokens)
