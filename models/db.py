"""Database configuration: one Tortoise app holding every model module."""

from __future__ import annotations

import os
from typing import Any

MODEL_MODULES: list[str] = [
    "models.school",
    "models.program",
    "models.budget_line",
    "models.partner",
    "models.change_event",
    "models.api_token",
    "models.sync_state",
]

DEFAULT_DATABASE_URL = "sqlite://data/eduhub.sqlite3"


def normalize_database_url(url: str) -> str:
    """Accept the spellings people paste (postgresql://, postgresql+asyncpg://) for Tortoise's asyncpg."""
    for prefix in ("postgresql+asyncpg://", "postgresql://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix) :]
    return url


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": normalize_database_url(database_url)},
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
