"""Typed settings read from the environment (and an optional `.env`), refusing unsafe production values."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Literal

import limits
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from models.db import DEFAULT_DATABASE_URL

# The database schemes this build has drivers for (Tortoise would try to import others' drivers).
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "postgresql+asyncpg")

# Settings whose default is off in production (on elsewhere): see `Settings._production_defaults`.
PRODUCTION_OFF = ("graphiql", "introspection", "field_suggestions")


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
    # text for people at a terminal; json (one object per line, with request_id) for collectors.
    log_format: Literal["text", "json"] = "text"

    # HTTP surface
    # Bytes in one request body (HTTP) or WebSocket message, refused (413) before parsing.
    max_request_bytes: int = Field(default=1_048_576, gt=0)
    cors_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Operation names of known clients that get their own metrics series (others count as `other`).
    metrics_operation_names: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # GraphiQL, introspection and "Did you mean ...?" hints: on in development and test, off in
    # production unless set explicitly (they describe the whole schema to anyone who asks).
    graphiql: bool = True
    introspection: bool = True
    field_suggestions: bool = True
    max_query_depth: int = 10
    max_aliases: int = 30
    max_query_tokens: int = 2000
    max_page_size: int = 100
    default_page_size: int = 20
    # Items in any one list argument (filters, groupBy, orderBy), in variables or literals alike:
    # the token limit never sees variables.
    max_list_length: int = 200
    # Open WebSockets re-check their token this often (revocations without a pub/sub message, expiry).
    token_recheck_seconds: float = Field(default=0.5, gt=0)
    # Sample data is loaded by `eduhub serve` into an empty database on first run.
    seed_sample_data: bool = True

    # Google Sheets / sync
    google_application_credentials: str | None = None
    sheets_api_url: str | None = None
    sync_mapping_file: str | None = None
    sync_interval_seconds: float = 10.0
    sheets_webhook_secret: str | None = None
    # Accepted webhook calls per window, across every web process when REDIS_URL is set; excess
    # calls get 429 and wake nothing (polling still syncs their edits). `limits` notation.
    sheets_webhook_rate_limit: str = "20/minute"
    emulator_port: int = 8085
    emulator_persist_path: str | None = "data/emulator.json"
    # `eduhub worker` serves its Prometheus metrics here when set (`serve` shows them on /metrics).
    worker_metrics_port: int | None = None
    worker_metrics_address: str = "127.0.0.1"

    @model_validator(mode="before")
    @classmethod
    def _production_defaults(cls, values: dict[str, object]) -> dict[str, object]:
        # A default that depends on another setting: filled in before validation, so an explicit
        # GRAPHIQL=true (or introspection=True) always wins.
        production = str(values.get("environment", "")).lower() == Environment.PRODUCTION
        for name in PRODUCTION_OFF:
            values.setdefault(name, not production)
        return values

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, values: dict[str, object]) -> dict[str, object]:
        for name in ("cors_allowed_origins", "metrics_operation_names"):
            raw = values.get(name)
            if isinstance(raw, str):
                values[name] = [item.strip() for item in raw.split(",") if item.strip()]
        return values

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        if scheme not in DATABASE_SCHEMES:
            raise ValueError(
                f"unsupported scheme {scheme or url!r}; use sqlite://PATH or postgresql://USER@HOST:PORT/NAME"
            )
        return url

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            if self.database_url.startswith("sqlite") and ":memory:" in self.database_url:
                raise ValueError("production needs a persistent DATABASE_URL")
            if "*" in self.cors_allowed_origins:
                raise ValueError("production refuses CORS_ALLOWED_ORIGINS=*; list the origins")
            if self.google_application_credentials is None and self.sheets_api_url is None:
                raise ValueError("production needs GOOGLE_APPLICATION_CREDENTIALS (or SHEETS_API_URL)")
        try:
            limits.parse(self.sheets_webhook_rate_limit)
        except ValueError as error:
            raise ValueError(f"SHEETS_WEBHOOK_RATE_LIMIT: {error} (e.g. 20/minute)") from None
        return self

    @property
    def uses_embedded_emulator(self) -> bool:
        """No Google credentials and no external emulator: `serve` runs the bundled emulator."""
        return self.google_application_credentials is None and self.sheets_api_url is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
