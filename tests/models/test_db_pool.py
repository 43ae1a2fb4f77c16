"""The PostgreSQL pool hands connections back without asyncpg's reset round trip, and clean."""

from __future__ import annotations

import asyncpg
import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from models.db import keep_session, tortoise_config


def test_postgres_connections_skip_the_reset_query() -> None:
    config = tortoise_config("postgresql://postgres@127.0.0.1:5432/eduhub")
    assert config["connections"]["default"]["credentials"]["reset"] is keep_session
    assert tortoise_config("sqlite://data/x.sqlite3")["connections"]["default"] == "sqlite://data/x.sqlite3"


# asyncpg's pool only: SQLite has no pool and no reset to skip.
@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_a_released_connection_holds_no_transaction_and_no_lock(db: str) -> None:
    async with in_transaction() as connection:
        await connection.execute_query("SELECT pg_advisory_xact_lock(4242)")
    pool = connections.get("default")._pool
    async with pool.acquire() as raw:
        assert not raw.is_in_transaction()
        await raw.execute("BEGIN")  # left open on purpose
    async with pool.acquire() as raw:
        assert not raw.is_in_transaction()  # asyncpg rolled it back before our reset hook
    other = await asyncpg.connect(db.replace("postgres://", "postgresql://", 1))
    try:
        assert await other.fetchval("SELECT pg_try_advisory_lock(4242)")
    finally:
        await other.close()
