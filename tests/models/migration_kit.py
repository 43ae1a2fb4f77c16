"""Raw access to a database of either engine, below the ORM, for the migration-forward test.

The ORM's models describe the newest schema; a database at a past migration has other columns,
so rows are read and written here by table and column name, with the driver's own values
(aiosqlite for SQLite, asyncpg for PostgreSQL) on both sides of a copy.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol

import aiosqlite
import asyncpg

MIGRATIONS_TABLE = "tortoise_migrations"
Row = tuple[Any, ...]


class RawDatabase(Protocol):
    async def tables(self) -> list[str]:
        """The project's tables (not the engine's own, not the migration record)."""

    async def columns(self, table: str) -> list[str]: ...

    async def rows(self, table: str, columns: Sequence[str]) -> list[Row]:
        """Every row's `columns`, in primary-key order."""

    async def replace_rows(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Make `rows` the table's whole content (foreign keys are not checked while copying)."""

    async def applied_migrations(self) -> list[str]: ...


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


class SqliteDatabase:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def tables(self) -> list[str]:
        cursor = await self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != ? ORDER BY name",
            (MIGRATIONS_TABLE,),
        )
        return [row[0] for row in await cursor.fetchall()]

    async def _info(self, table: str) -> list[Any]:
        cursor = await self.connection.execute(f'PRAGMA table_info("{table}")')
        return list(await cursor.fetchall())

    async def columns(self, table: str) -> list[str]:
        return [column[1] for column in await self._info(table)]

    async def rows(self, table: str, columns: Sequence[str]) -> list[Row]:
        keys = [column[1] for column in sorted(await self._info(table), key=lambda c: c[5]) if column[5]]
        cursor = await self.connection.execute(
            f'SELECT {_quoted(columns)} FROM "{table}" ORDER BY {_quoted(keys or columns)}'  # noqa: S608
        )
        return [tuple(row) for row in await cursor.fetchall()]

    async def replace_rows(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        # sqlite3 connections do not enforce foreign keys unless asked to (PRAGMA foreign_keys).
        await self.connection.execute(f'DELETE FROM "{table}"')  # noqa: S608
        marks = ", ".join("?" for _ in columns)
        await self.connection.executemany(
            f'INSERT INTO "{table}" ({_quoted(columns)}) VALUES ({marks})',  # noqa: S608
            rows,
        )
        await self.connection.commit()

    async def applied_migrations(self) -> list[str]:
        cursor = await self.connection.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name")  # noqa: S608
        return [row[0] for row in await cursor.fetchall()]


class PostgresDatabase:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def tables(self) -> list[str]:
        rows = await self.connection.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' AND table_name != $1 ORDER BY table_name",
            MIGRATIONS_TABLE,
        )
        return [row[0] for row in rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self.connection.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
        return [row[0] for row in rows]

    async def rows(self, table: str, columns: Sequence[str]) -> list[Row]:
        keys = await self.connection.fetch(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attnum",
            table,
        )
        order = [key[0] for key in keys] or list(columns)
        found = await self.connection.fetch(
            f'SELECT {_quoted(columns)} FROM "{table}" ORDER BY {_quoted(order)}'  # noqa: S608
        )
        return [tuple(row) for row in found]

    async def replace_rows(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        async with self.connection.transaction():
            # Triggers off for this transaction: foreign keys are checked by triggers, and the
            # tables are copied one by one in any order.
            await self.connection.execute("SET LOCAL session_replication_role = replica")
            await self.connection.execute(f'DELETE FROM "{table}"')  # noqa: S608
            await self.connection.copy_records_to_table(table, records=rows, columns=list(columns))
        await self._advance_sequences(table)

    async def _advance_sequences(self, table: str) -> None:
        """Serial ids continue after the copied ones, as they would in the database copied."""
        for column in await self.columns(table):
            sequence = await self.connection.fetchval("SELECT pg_get_serial_sequence($1, $2)", table, column)
            if sequence is not None:
                await self.connection.execute(
                    f'SELECT setval($1, COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',  # noqa: S608
                    sequence,
                )

    async def applied_migrations(self) -> list[str]:
        rows = await self.connection.fetch(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name")  # noqa: S608
        return [row[0] for row in rows]


@contextlib.asynccontextmanager
async def raw_database(url: str) -> AsyncIterator[RawDatabase]:
    """A raw connection to the database at `url` (sqlite://path or postgres://...)."""
    if url.startswith("sqlite://"):
        async with aiosqlite.connect(url.removeprefix("sqlite://")) as connection:
            yield SqliteDatabase(connection)
        return
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        yield PostgresDatabase(connection)
    finally:
        await connection.close()
