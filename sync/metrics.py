"""Prometheus metrics for the sync worker: cycles by outcome, cycle time, Sheets API calls,
changes applied each way and the problems people must look at.

Recorded from each cycle's report (`run_worker(on_cycle=...)`), in the process-wide registry:
`eduhub serve` shows them on the web app's `/metrics`; a separate `eduhub worker` serves them
on `WORKER_METRICS_PORT` when set.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from sync.cycle import CycleReport

CYCLES = Counter(
    "eduhub_sync_cycles_total", "Sync cycles by spreadsheet and outcome.", ["spreadsheet", "outcome"]
)
CYCLE_SECONDS = Histogram(
    "eduhub_sync_cycle_duration_seconds",
    "Wall time of a sync cycle (idle cycles included).",
    ["spreadsheet"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)
API_CALLS = Counter(
    "eduhub_sync_api_calls_total", "Google Sheets and Drive API calls by method.", ["spreadsheet", "method"]
)
CHANGES = Counter(
    "eduhub_sync_changes_total",
    "Changes a cycle applied, by kind (sheet->db, db->sheet, appended, created, archived, conflicts ...).",
    ["spreadsheet", "kind"],
)
LAST_SUCCESS = Gauge(
    "eduhub_sync_last_success_timestamp_seconds",
    "Unix time of the spreadsheet's last successful cycle (alert when it grows old).",
    ["spreadsheet"],
)


def outcome_of(report: CycleReport) -> str:
    """`failed`, `idle` or `busy` (a dry run never reaches the worker loop)."""
    if not report.succeeded:
        return "failed"
    return "idle" if report.idle else "busy"


async def record_cycle(report: CycleReport) -> None:
    """`run_worker(on_cycle=...)`: one cycle's figures into the registry."""
    key = report.spreadsheet_key
    CYCLES.labels(key, outcome_of(report)).inc()
    CYCLE_SECONDS.labels(key).observe(report.seconds)
    for method, count in report.api_calls.items():
        API_CALLS.labels(key, method).inc(count)
    for kind, count in report.counts.items():
        if count:
            CHANGES.labels(key, kind).inc(count)
    if report.succeeded:
        LAST_SUCCESS.labels(key).set_to_current_time()
