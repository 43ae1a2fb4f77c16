"""Process shapes the CLI starts: the embedded all-in-one, a web process, a worker process.

Embedded (`eduhub serve`): SQLite by default, the API and the sync worker in one process with
in-process pub/sub, and, when no Google credentials are configured, the bundled Sheets
emulator seeded with the sample spreadsheet, so the whole loop runs offline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from prometheus_client import start_http_server
from tortoise import Tortoise

from api.app import create_app
from api.gc_tuning import tune_for_serving
from api.http_protocol import CorkedHttpToolsProtocol
from api.live.runtime import live_lifespan, sync_wake_event
from api.live.sync_status import report_cycle
from api.settings import Settings
from models.db import migrate, tortoise_config
from models.sample_data import load_sample_data
from sync.emulator import SEEDS, Emulator, EmulatorServer
from sync.emulator.server import require_free_port
from sync.metrics import record_cycle
from sync.wake import Wake
from sync.worker import run_worker

logger = logging.getLogger(__name__)

# What hears each worker cycle: `syncStatus` subscribers (live) and the Prometheus counters.
CYCLE_LISTENERS = (report_cycle, record_cycle)


async def run_web(settings: Settings, *, host: str, port: int) -> None:
    """Serve the API only; schema migrations are the release step's job (`eduhub migrate`)."""
    require_free_port(host, port, setting="--port")
    app = create_app(settings)
    tune_for_serving()
    await _serve(app, settings, host=host, port=port)


async def run_embedded(settings: Settings, *, host: str, port: int) -> None:
    """Migrate, load the sample on first run, start the emulator if needed, serve API + worker."""
    require_free_port(host, port, setting="--port")  # before any work: a second `serve` says so at once
    await migrate(settings.database_url)
    if settings.seed_sample_data:
        await _load_sample_once(settings)
    emulator: EmulatorServer | None = None
    if settings.uses_embedded_emulator:
        emulator = _start_emulator(settings)
        settings = settings.model_copy(update={"sheets_api_url": emulator.url})
    try:
        app = create_app(settings, lifespan_hooks=[_in_process_worker(settings)])
        tune_for_serving()
        await _serve(app, settings, host=host, port=port)
    finally:
        if emulator is not None:
            emulator.stop()


async def run_worker_process(settings: Settings) -> None:
    """Sync until SIGTERM/SIGINT; committed sheet edits are published for every web process."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if settings.worker_metrics_port is not None:
        require_free_port(
            settings.worker_metrics_address, settings.worker_metrics_port, setting="WORKER_METRICS_PORT"
        )
        # prometheus_client's own server thread: the worker has no web app to put /metrics on.
        start_http_server(settings.worker_metrics_port, addr=settings.worker_metrics_address)
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        wake = Wake()
        async with live_lifespan(settings, wake=wake):
            await run_worker(settings, stop=stop, wake=wake, on_cycle=CYCLE_LISTENERS)
    finally:
        await Tortoise.close_connections()


def _in_process_worker(settings: Settings) -> Any:
    @contextlib.asynccontextmanager
    async def hook(app: Any) -> AsyncIterator[dict[str, Any]]:
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_worker(settings, stop=stop, wake=sync_wake_event(), on_cycle=CYCLE_LISTENERS),
            name="sync-worker",
        )
        try:
            yield {}
        finally:
            stop.set()
            await asyncio.gather(task, return_exceptions=True)

    return hook


async def _load_sample_once(settings: Settings) -> None:
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        counts = await load_sample_data()
        if counts.schools:
            logger.info(
                "sample data loaded: %d schools, %d programs, %d budget lines",
                counts.schools,
                counts.programs,
                counts.budget_lines,
            )
    finally:
        await Tortoise.close_connections()


def _start_emulator(settings: Settings) -> EmulatorServer:
    emulator = Emulator(persist_path=settings.emulator_persist_path)
    if not emulator.store.spreadsheets:
        SEEDS["sample"](emulator)
    server = EmulatorServer(emulator, port=settings.emulator_port).start()
    logger.info("no Google credentials: Sheets emulator with the sample spreadsheet at %s", server.url)
    return server


async def _serve(app: Any, settings: Settings, *, host: str, port: int) -> None:
    await uvicorn.Server(server_config(app, settings, host=host, port=port)).serve()


def server_config(app: Any, settings: Settings, *, host: str, port: int) -> uvicorn.Config:
    """How uvicorn serves the app (logging is configured first: the access log follows it)."""
    # A WebSocket message is held to the same byte limit as an HTTP body (uvicorn's default: 16 MiB).
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        http=CorkedHttpToolsProtocol,  # a response's head and body in one socket write
        # No `server: uvicorn` banner: it only tells a scanner what to try (and every answer,
        # a cached one too, pays for each header uvicorn writes).
        server_header=False,
        # uvicorn formats each access line's arguments before the logger drops it: under a level
        # that shows none (LOG_LEVEL=WARNING), nothing is formatted at all.
        access_log=logging.getLogger("uvicorn.access").isEnabledFor(logging.INFO),
        ws="websockets-sansio",
        ws_max_size=settings.max_request_bytes,
    )
