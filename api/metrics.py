"""Prometheus metrics for GraphQL operations: requests, latency and errors by operation name.

Metrics live in the process-wide registry (one set per process, however many apps a test
builds); `/metrics` serves them in the Prometheus text format.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

# Client-chosen operation names are label values: cap their length to bound cardinality damage.
MAX_OPERATION_NAME = 64
ANONYMOUS_OPERATION = "anonymous"

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


def operation_label(name: str | None) -> str:
    return (name or ANONYMOUS_OPERATION)[:MAX_OPERATION_NAME]


class OperationMetrics(SchemaExtension):
    """Counts, times and error-counts every operation, labelled by name and type."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except Exception:
            kind = "invalid"  # the document did not parse or names no operation
        name = operation_label(context.operation_name)
        REQUESTS.labels(name, kind).inc()
        LATENCY.labels(name, kind).observe(time.perf_counter() - started)
        result = context.result
        if context.pre_execution_errors or (result is not None and getattr(result, "errors", None)):
            ERRORS.labels(name, kind).inc()


async def metrics_endpoint(request: Request) -> Response:
    """`/metrics`: the registry in Prometheus text format."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
