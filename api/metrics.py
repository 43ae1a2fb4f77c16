"""Prometheus metrics for GraphQL operations: requests, latency and errors by operation name.

Metrics live in the process-wide registry (one set per process, however many apps a test
builds); `/metrics` serves them in the Prometheus text format.

Labels stay bounded whatever callers send. Operation names are chosen by clients, and every
distinct label value is a new series held for ever (about 1.5 kB each with the histogram), so
only known names become labels: the dashboard's own (`KNOWN_OPERATIONS`) and those listed in
`METRICS_OPERATION_NAMES` for other clients. Every other name counts as `other`, an unnamed
operation as `anonymous`. The `type` label is the operation type, or `invalid`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from api.settings import Settings

# The operations the partner dashboard sends (api/dashboard/static/app.js).
KNOWN_OPERATIONS = frozenset(
    {"DashboardFigures", "DashboardSummary", "DashboardSyncStatus", "DashboardChanges"}
)
ANONYMOUS_OPERATION = "anonymous"
OTHER_OPERATION = "other"

REQUESTS = Counter("eduhub_graphql_requests_total", "GraphQL operations executed.", ["operation", "type"])
ERRORS = Counter(
    "eduhub_graphql_errors_total", "GraphQL operations whose result carried errors.", ["operation", "type"]
)
LATENCY = Histogram(
    "eduhub_graphql_duration_seconds",
    "Time to parse, validate and execute a GraphQL operation.",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def operation_label(name: str | None, known: Iterable[str] = KNOWN_OPERATIONS) -> str:
    """The `operation` label for a client's operation name: itself only when it is known."""
    if not name:
        return ANONYMOUS_OPERATION
    return name if name in known else OTHER_OPERATION


class OperationMetrics(SchemaExtension):
    """Counts, times and error-counts every operation, labelled by (known) name and type.

    Example: `build_schema(settings, extra_extensions=[operation_metrics(settings)])`.
    """

    def __init__(self, *, known: frozenset[str] = KNOWN_OPERATIONS) -> None:
        self.known = known

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except Exception:
            kind = "invalid"  # the document did not parse or names no operation
        name = operation_label(context.operation_name, self.known)
        requests, latency, errors = _series(name, kind)
        requests.inc()
        latency.observe(time.perf_counter() - started)
        result = context.result
        if context.pre_execution_errors or (result is not None and getattr(result, "errors", None)):
            errors.inc()


@lru_cache(maxsize=1024)
def _series(name: str, kind: str) -> tuple[Any, Any, Any]:
    """The labelled children for (operation, type), looked up once: `labels()` validates and
    locks on every call. Labels are bounded (`operation_label`), so the cache is too."""
    return REQUESTS.labels(name, kind), LATENCY.labels(name, kind), ERRORS.labels(name, kind)


CACHE_HITS = Counter(
    "eduhub_graphql_response_cache_hits_total",
    "GraphQL reads answered from the response cache (also counted in eduhub_graphql_requests_total).",
    ["operation"],
)


@dataclass(frozen=True, slots=True)
class HitCounters:
    """The series a cached answer counts in, looked up once when it is kept (`api.response_cache`).

    A hit is counted in `eduhub_graphql_requests_total` and in the hits counter, and not timed:
    it runs nothing, in microseconds, and in the duration histogram it would only hide the
    latency of the operations that do run.
    """

    requests: Any
    hits: Any

    def count(self) -> None:
        self.requests.inc()
        self.hits.inc()


@lru_cache(maxsize=1024)
def hit_counters(known: frozenset[str], operation_name: str | None) -> HitCounters:
    """What a hit on an answer to `operation_name` counts in (`known`: `known_operations(...)`)."""
    name = operation_label(operation_name, known)
    return HitCounters(_series(name, "query")[0], CACHE_HITS.labels(name))


def count_query(known: frozenset[str], operation_name: str | None, seconds: float) -> None:
    """A query answered without errors outside the schema's extensions (the response cache,
    `schema.planned.direct`): counted and timed as `OperationMetrics` counts it.
    `known` is `known_operations(...)` for the app's settings."""
    requests, latency, _ = _series(operation_label(operation_name, known), "query")
    requests.inc()
    latency.observe(seconds)


@lru_cache(maxsize=8)
def known_operations(extra: tuple[str, ...]) -> frozenset[str]:
    """The operation names counted by name: the dashboard's and METRICS_OPERATION_NAMES (`extra`)."""
    return KNOWN_OPERATIONS | frozenset(extra)


def operation_metrics(settings: Settings) -> Callable[[], OperationMetrics]:
    """The extension factory for `settings`: the dashboard's names plus METRICS_OPERATION_NAMES."""
    return partial(OperationMetrics, known=known_operations(tuple(settings.metrics_operation_names)))


async def metrics_endpoint(request: Request) -> Response:
    """`/metrics`: the registry in Prometheus text format."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
