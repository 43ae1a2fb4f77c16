"""Typed settings read from the environment (and an optional `.env`), refusing unsafe production values."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from models.db import DEFAULT_DATABASE_URL


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    log_level: str = "INFO"

    # HTTP surface
    # Bytes in one request body (HTTP) or WebSocket message, refused (413) before parsing.
    max_request_bytes: int = Field(default=1_048_576, gt=0)
    cors_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Operation names of known clients that get their own metrics series (others count as `other`).
    metrics_operation_names: Annotated[list[str], NoDecode] = Field(default_factory=list)
    graphiql: bool = True
    introspection: bool = True
    max_query_depth: int = 10
    max_aliases: int = 30
    max_query_tokens: int = 2000
    max_page_size: int = 100
    default_page_size: int = 20
    # Items in any one list argument (filters, groupBy, orderBy), in variables or literals alike:
    # the token limit never sees variables.
    max_list_length: int = 200
    # Sample data is loaded by `eduhub serve` into an empty database on first run.
    seed_sample_data: bool = True

    # Google Sheets / sync
    google_application_credentials: str | None = None
    sheets_api_url: str | None = None
    sync_mapping_file: str | None = None
    sync_interval_seconds: float = 10.0
    sheets_webhook_secret: str | None = None
    emulator_port: int = 8085
    emulator_persist_path: str | None = "data/emulator.json"
    # `eduhub worker` serves its Prometheus metrics here when set (`serve` shows them on /metrics).
    worker_metrics_port: int | None = None
    worker_metrics_address: str = "127.0.0.1"

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, values: dict[str, object]) -> dict[str, object]:
        for name in ("cors_allowed_origins", "metrics_operation_names"):
            raw = values.get(name)
            if isinstance(raw, str):
                values[name] = [item.strip() for item in raw.split(",") if item.strip()]
        return values

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            if self.database_url.startswith("sqlite") and ":memory:" in self.database_url:
                raise ValueError("production needs a persistent DATABASE_URL")
            if "*" in self.cors_allowed_origins:
                raise ValueError("production refuses CORS_ALLOWED_ORIGINS=*; list the origins")
            if self.google_application_credentials is None and self.sheets_api_url is None:
                raise ValueError("production needs GOOGLE_APPLICATION_CREDENTIALS (or SHEETS_API_URL)")
        return self

    @property
    def uses_embedded_emulator(self) -> bool:
        """No Google credentials and no external emulator: `serve` runs the bundled emulator."""
        return self.google_application_credentials is None and self.sheets_api_url is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
