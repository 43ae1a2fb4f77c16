"""/healthz answers from the database; /metrics counts operations, latency and errors by name."""

from __future__ import annotations

import httpx
from prometheus_client import REGISTRY

from api.app import create_app
from tests.api.api_kit import Gql, make_settings


def _sample(name: str, operation: str, kind: str = "query") -> float:
    value = REGISTRY.get_sample_value(name, {"operation": operation, "type": kind})
    return value or 0.0


async def test_healthz_ok_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz_503_when_the_database_is_unreachable() -> None:
    # No Tortoise at all (the `db` fixture is not used): the trivial query cannot run.
    app = create_app(make_settings("sqlite://:memory:"), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


async def test_metrics_count_requests_latency_and_errors_by_operation(
    client: httpx.AsyncClient, gql: Gql
) -> None:
    before = _sample("eduhub_graphql_requests_total", "SchoolsPage")
    errors_before = _sample("eduhub_graphql_errors_total", "LinesDenied")
    await gql("query SchoolsPage { schools { totalCount } }")
    await gql("query SchoolsPage { schools { totalCount } }")
    await gql("query LinesDenied { budgetLines { totalCount } }")
    assert _sample("eduhub_graphql_requests_total", "SchoolsPage") == before + 2
    assert _sample("eduhub_graphql_duration_seconds_count", "SchoolsPage") >= 2
    assert _sample("eduhub_graphql_errors_total", "LinesDenied") == errors_before + 1
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'eduhub_graphql_requests_total{operation="SchoolsPage",type="query"}' in response.text
