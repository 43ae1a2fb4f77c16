"""The app over an in-process ASGI transport, on the `db` fixture's database, and API tokens per role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.settings import Settings
from models.enums import Role
from models.services import tokens
from tests.api.api_kit import Gql, make_settings


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    # The `db` fixture already initialised Tortoise; ASGITransport does not run the lifespan.
    return create_app(settings, manage_database=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def secrets(db: str) -> dict[Role, str]:
    """One fresh API token secret per role."""
    return {role: (await tokens.create(name=f"{role.value} 담당자", role=role))[1] for role in Role}


@pytest.fixture
def gql(client: httpx.AsyncClient) -> Gql:
    """POST a GraphQL operation; returns the JSON body (asserting a 200)."""

    async def run(
        query: str, variables: dict[str, Any] | None = None, *, secret: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return run
