"""/metrics counts operations, latency and errors by name, with a bounded set of names whatever
callers send (health: test_health.py)."""

from __future__ import annotations

import random
import string

import httpx
import pytest
from prometheus_client import REGISTRY

from api.metrics import KNOWN_OPERATIONS
from api.settings import Settings
from tests.api.api_kit import Gql, make_settings

CLIENT_OPERATIONS = ["SchoolsPage", "LinesDenied"]


@pytest.fixture
def settings(db: str) -> Settings:
    return make_settings(db, metrics_operation_names=",".join(CLIENT_OPERATIONS))


def _sample(name: str, operation: str, kind: str = "query") -> float:
    value = REGISTRY.get_sample_value(name, {"operation": operation, "type": kind})
    return value or 0.0


async def test_metrics_count_requests_latency_and_errors_by_operation(
    client: httpx.AsyncClient, gql: Gql
) -> None:
    before = _sample("eduhub_graphql_requests_total", "SchoolsPage")
    errors_before = _sample("eduhub_graphql_errors_total", "LinesDenied")
    timed_before = _sample("eduhub_graphql_duration_seconds_count", "SchoolsPage")
    await gql("query SchoolsPage { schools { totalCount } }")
    await gql("query SchoolsPage { schools { totalCount } }")
    await gql("query LinesDenied { budgetLines { totalCount } }")
    assert _sample("eduhub_graphql_requests_total", "SchoolsPage") == before + 2
    assert _sample("eduhub_graphql_duration_seconds_count", "SchoolsPage") >= timed_before + 1
    assert _sample("eduhub_graphql_errors_total", "LinesDenied") == errors_before + 1
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'eduhub_graphql_requests_total{operation="SchoolsPage",type="query"}' in response.text


def _operation_labels() -> set[str]:
    return {
        sample.labels["operation"]
        for family in REGISTRY.collect()
        if family.name.startswith("eduhub_graphql_")
        for sample in family.samples
        if "operation" in sample.labels
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # labels, not SQL: one engine
async def test_a_cached_answer_counts_as_a_request_and_a_hit_and_is_not_timed(
    client: httpx.AsyncClient,
) -> None:
    query = {"query": "query SchoolsPage { schools(first: 3) { totalCount } }"}
    assert (await client.post("/graphql", json=query)).status_code == 200  # run, and kept
    requests, timed = _sample("eduhub_graphql_requests_total", "SchoolsPage"), _timed("SchoolsPage")
    hits = REGISTRY.get_sample_value("eduhub_graphql_response_cache_hits_total", {"operation": "SchoolsPage"})
    for _ in range(3):
        assert (await client.post("/graphql", json=query)).status_code == 200
    assert _sample("eduhub_graphql_requests_total", "SchoolsPage") == requests + 3
    hits_after = REGISTRY.get_sample_value(
        "eduhub_graphql_response_cache_hits_total", {"operation": "SchoolsPage"}
    )
    assert hits_after == (hits or 0.0) + 3
    assert _timed("SchoolsPage") == timed  # a hit runs nothing: only executed operations are timed


def _timed(operation: str) -> float:
    return _sample("eduhub_graphql_duration_seconds_count", operation)


async def test_a_thousand_random_operation_names_add_no_series(client: httpx.AsyncClient) -> None:
    rng = random.Random(15)

    def random_name() -> str:
        return rng.choice(string.ascii_letters) + "".join(
            rng.choices(string.ascii_letters + "_0123456789", k=30)
        )

    kinds = ("query", "mutation", "subscription")
    for kind in kinds:  # the `other` series of each type exist from here on
        await client.post("/graphql", json={"query": f"{kind} {random_name()} {{ __typename }}"})
    lines_before = len((await client.get("/metrics")).text.splitlines())
    for i in range(1000):
        # Valid or not (a mutation of nothing, a subscription over HTTP): no name becomes a label.
        await client.post("/graphql", json={"query": f"{kinds[i % 3]} {random_name()} {{ __typename }}"})
    assert len((await client.get("/metrics")).text.splitlines()) == lines_before
    assert _operation_labels() <= KNOWN_OPERATIONS | {*CLIENT_OPERATIONS, "other", "anonymous"}
    other = REGISTRY.get_sample_value(
        "eduhub_graphql_requests_total", {"operation": "other", "type": "query"}
    )
    assert other is not None and other >= 300
