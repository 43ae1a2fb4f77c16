"""Shared test fixtures: the `db` fixture runs each test on SQLite and on PostgreSQL.

PostgreSQL is the real server at 127.0.0.1:5432 (trust auth). It is never skipped silently:
`-m "not postgres"` is the explicit way to run without it.

The suite runs in parallel processes (pytest-xdist, `-n` in scripts/test). Each process keeps
to its own: a PostgreSQL database named after its pid, temporary folders, free ports, and a
Redis server of its own (`tests.redis_kit`) unless TEST_REDIS_URL names one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext

from api.settings import get_settings
from models.db import migrate, tortoise_config
from tests.redis_kit import PrivateRedis, start_redis

POSTGRES_ADMIN_DSN = os.environ.get(
    "TEST_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_TEST_DATABASE = f"eduhub_test_{os.getpid()}"
TABLES = [
    "sync_row",
    "sync_conflict",
    "sync_issue",
    "sync_cursor",
    "sync_lease",
    "sync_cycle",
    "quota_bucket",
    "change_event",
    "api_token",
    "fiscal_year_closing",
    "allocation_share",
    "allocation",
    "supplementary_agreement",
    "agreement",
    "budget_line",
    "program_session",
    "program_partner",
    "partner",
    "program",
    "school",
]


_private_redis: PrivateRedis | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Give this test process a Redis of its own, before test modules read TEST_REDIS_URL."""
    global _private_redis
    # xdist's controller runs no test; its workers would inherit its server through the
    # environment and share it again.
    controller = bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")
    if "TEST_REDIS_URL" in os.environ or controller:
        return
    _private_redis = start_redis()
    os.environ["TEST_REDIS_URL"] = _private_redis.url


def pytest_unconfigure(config: pytest.Config) -> None:
    global _private_redis
    if _private_redis is not None:
        os.environ.pop("TEST_REDIS_URL", None)
        _private_redis.stop()
        _private_redis = None


def _postgres_url(database: str) -> str:
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    return base.replace("postgresql://", "postgres://", 1) + "/" + database


async def _recreate_postgres_database() -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_TEST_DATABASE}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{POSTGRES_TEST_DATABASE}"')
    finally:
        await connection.close()


async def _drop_postgres_database() -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_TEST_DATABASE}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test (migrating once is the slow part)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    asyncio.run(migrate(f"sqlite://{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    asyncio.run(_recreate_postgres_database())
    url = _postgres_url(POSTGRES_TEST_DATABASE)
    asyncio.run(migrate(url))
    yield url
    asyncio.run(_drop_postgres_database())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each engine; the test owns it alone."""
    if request.param == "sqlite":
        path = tmp_path / "eduhub.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite://{path}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """Tortoise initialised on a clean database; yields the URL for code that opens its own."""
    # Tortoise caches insert SQL per connection name, not per dialect; one process here runs both.
    EXECUTOR_CACHE.clear()
    async with TortoiseContext() as context:
        # A fresh context per test: models rebuild their queries for this engine's dialect.
        await context.init(config=tortoise_config(database_url), _enable_global_fallback=True)
        if database_url.startswith("postgres"):
            await get_connection("default").execute_script(
                "TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE"
            )
        yield database_url


WEBHOOK_SECRET = "s3cret-for-tests"


@pytest.fixture
def webhook_secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """SHEETS_WEBHOOK_SECRET set for the test (the webhook reads settings from the environment)."""
    monkeypatch.setenv("SHEETS_WEBHOOK_SECRET", WEBHOOK_SECRET)
    get_settings.cache_clear()
    yield WEBHOOK_SECRET
    get_settings.cache_clear()
