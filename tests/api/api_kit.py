"""API test kit: settings for a test database and the type of the `gql` fixture."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from api.settings import Settings

Gql = Callable[..., Awaitable[dict[str, Any]]]


def make_settings(database_url: str, **overrides: Any) -> Settings:
    settings: Settings = Settings(database_url=database_url, _env_file=None, **overrides)
    return settings
