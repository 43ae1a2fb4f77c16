"""Each cycle report lands in the Prometheus registry: outcome, time, API calls, changes."""

from __future__ import annotations

from collections import Counter

from prometheus_client import REGISTRY

from sync.cycle import CycleReport
from sync.metrics import outcome_of, record_cycle


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_busy_cycle_is_counted_with_its_calls_and_changes() -> None:
    key = "metrics-busy"
    report = CycleReport(
        key,
        succeeded=True,
        seconds=0.42,
        counts=Counter({"sheet->db": 3, "db->sheet": 2, "conflicts": 0}),
        api_calls=Counter({"values.batchGet": 1, "drive.files.get": 1}),
    )
    await record_cycle(report)
    await record_cycle(report)
    assert _value("eduhub_sync_cycles_total", spreadsheet=key, outcome="busy") == 2
    assert _value("eduhub_sync_api_calls_total", spreadsheet=key, method="values.batchGet") == 2
    assert _value("eduhub_sync_changes_total", spreadsheet=key, kind="sheet->db") == 6
    assert _value("eduhub_sync_changes_total", spreadsheet=key, kind="conflicts") == 0
    assert _value("eduhub_sync_cycle_duration_seconds_count", spreadsheet=key) == 2
    assert _value("eduhub_sync_cycle_duration_seconds_sum", spreadsheet=key) == 0.84
    assert _value("eduhub_sync_last_success_timestamp_seconds", spreadsheet=key) > 0


async def test_a_failed_cycle_leaves_the_last_success_alone() -> None:
    key = "metrics-failed"
    await record_cycle(CycleReport(key, succeeded=True, idle=True))
    before = _value("eduhub_sync_last_success_timestamp_seconds", spreadsheet=key)
    failed = CycleReport(key, succeeded=False, error="HttpError 500")
    await record_cycle(failed)
    assert outcome_of(failed) == "failed"
    assert _value("eduhub_sync_cycles_total", spreadsheet=key, outcome="failed") == 1
    assert _value("eduhub_sync_cycles_total", spreadsheet=key, outcome="idle") == 1
    assert _value("eduhub_sync_last_success_timestamp_seconds", spreadsheet=key) == before
