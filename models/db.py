"""Database configuration: one Tortoise app holding every model module."""

from __future__ import annotations

import os
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

MODEL_MODULES: list[str] = [
    "models.school",
    "models.program",
    "models.budget_line",
    "models.fiscal_year_closing",
    "models.partner",
    "models.program_session",
    "models.agreement",
    "models.supplementary_agreement",
    "models.allocation",
    "models.change_event",
    "models.api_token",
    "models.sync_state",
    "models.sync_cycle",
]

DEFAULT_DATABASE_URL = "sqlite://data/eduhub.sqlite3"


def normalize_database_url(url: str) -> str:
    """Accept the spellings people paste (postgresql://, postgresql+asyncpg://) for Tortoise's asyncpg."""
    for prefix in ("postgresql+asyncpg://", "postgresql://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix) :]
    return url


async def keep_session(connection: Any) -> None:
    """The pool's reset on release, without asyncpg's default round trip.

    asyncpg runs `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` on every
    release, i.e. after every statement Tortoise sends outside a transaction: one extra round
    trip per statement. None of it has anything to undo here: this code takes only
    transaction-level advisory locks (`models.services.locking`), never LISTENs (pub/sub is
    in-process or Redis), declares no cursors and sets no session settings. asyncpg still rolls
    back a transaction left open before calling this. Code that starts keeping session state
    on a pooled connection must undo it itself, or this must run `connection.get_reset_query()`.
    """


def _connection(database_url: str) -> str | dict[str, Any]:
    url = normalize_database_url(database_url)
    if not url.startswith("postgres://"):
        return url
    config: dict[str, Any] = expand_db_url(url)
    config["credentials"]["reset"] = keep_session  # passed through to asyncpg.create_pool
    return config


# What a connection of its own takes from the URL; the rest (minsize, maxsize, ...) is the pool's.
_CONNECT_KEYS = ("host", "port", "user", "password", "database", "ssl", "server_settings")


def postgres_connect_args(database_url: str) -> dict[str, Any] | None:
    """asyncpg.connect's arguments for the database the app's pool uses; None when not PostgreSQL."""
    config = _connection(database_url)
    if isinstance(config, str):
        return None
    credentials = config["credentials"]
    return {key: credentials[key] for key in _CONNECT_KEYS if credentials.get(key) is not None}


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For Tortoise's own CLI (`tortoise -c models.db.TORTOISE_ORM makemigrations`).
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))


async def migrate(database_url: str) -> None:
    """Apply Tortoise migrations up to the latest (creates the SQLite file's folder first)."""
    from tortoise import Tortoise
    from tortoise.migrations.api.migrate import migrate as run_migrations

    _ensure_sqlite_folder(database_url)
    await run_migrations(config=tortoise_config(database_url))
    await Tortoise.close_connections()


def _ensure_sqlite_folder(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
