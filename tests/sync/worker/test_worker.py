"""The worker loop with a standby, and the one-shot run used by `eduhub sync --once`."""

from __future__ import annotations

import asyncio

from api.settings import Settings
from models.school import School
from models.sync_state import SyncLease
from sync.cycle import CycleReport
from sync.emulator import SAMPLE_KEY
from sync.worker import lease_name, run_once, run_worker
from tests.sync.conftest import World, add_school, until


def _settings(world: World, database_url: str) -> Settings:
    return Settings(database_url=database_url, sheets_api_url=world.server.url, sync_interval_seconds=0.2)


async def test_worker_syncs_and_a_standby_takes_over(world: World, db: str) -> None:
    settings = _settings(world, db)
    await add_school()
    stop_a, stop_b = asyncio.Event(), asyncio.Event()
    worker_a = asyncio.create_task(run_worker(settings, stop=stop_a, name="worker-a"))

    async def row_written() -> bool:
        return len(world.rows("학교")) == 2

    await until(row_written, "worker A writes the school row")
    worker_b = asyncio.create_task(run_worker(settings, stop=stop_b, name="worker-b"))
    await asyncio.sleep(0.5)
    assert (await SyncLease.get(name=lease_name(SAMPLE_KEY))).holder == "worker-a"
    stop_a.set()
    await worker_a
    world.tab("학교").update([["321"]], "F2", raw=False)

    async def edit_synced() -> bool:
        return (await School.get()).students == 321

    await until(edit_synced, "worker B applies the staff edit")
    assert (await SyncLease.get(name=lease_name(SAMPLE_KEY))).holder == "worker-b"
    stop_b.set()
    await worker_b


async def test_wake_runs_a_cycle_at_once(world: World, db: str) -> None:
    settings = Settings(database_url=db, sheets_api_url=world.server.url, sync_interval_seconds=3600)
    stop, wake = asyncio.Event(), asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop=stop, wake=wake, name="w"))
    await asyncio.sleep(0.3)
    await add_school()
    wake.set()

    async def row_written() -> bool:
        return len(world.rows("학교")) == 2

    await until(row_written, "the woken worker writes the row")
    stop.set()
    await worker


async def test_run_once_dry_run_prints_the_plan_and_writes_nothing(world: World, db: str) -> None:
    await add_school()
    report = await run_once(_settings(world, db), dry_run=True)
    assert report.succeeded and report.dry_run
    assert any("append" in line for line in report.plan)
    assert len(world.rows("학교")) == 1
    assert world.emulator.request_counts()["sheets.spreadsheets.batchUpdate"] == 0
    done = await run_once(_settings(world, db))
    assert done.succeeded and len(world.rows("학교")) == 2
    assert "succeeded" in str(done)


async def test_run_once_reports_failure_honestly(world: World, db: str) -> None:
    await add_school()
    world.emulator.faults.inject("error", status=400, method="sheets.spreadsheets.get")
    report = await run_once(_settings(world, db))
    assert not report.succeeded and "FAILED" in str(report)


async def test_every_cycle_is_reported_and_a_failing_listener_stops_nothing(world: World, db: str) -> None:
    settings = _settings(world, db)
    heard: list[CycleReport] = []
    also_heard: list[CycleReport] = []

    async def broken(report: CycleReport) -> None:
        heard.append(report)
        raise RuntimeError("a listener bug")

    async def listener(report: CycleReport) -> None:
        also_heard.append(report)

    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop=stop, name="w", on_cycle=[broken, listener]))

    async def two_cycles() -> bool:
        return len(heard) >= 2

    await until(two_cycles, "the worker keeps cycling after its listener failed")
    stop.set()
    await worker
    assert all(r.spreadsheet_key == SAMPLE_KEY and r.succeeded for r in heard)
    assert also_heard[: len(heard)] == heard  # the next listener still hears every cycle
