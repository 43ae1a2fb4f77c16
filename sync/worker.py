"""The sync worker: a loop holding the spreadsheet's lease, and the one-shot ``sync --once``.

Tortoise is initialised by the caller (CLI, ``serve`` lifespan or tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence

from logs import request_id
from sync import lease
from sync.cycle import CycleReport, combine, run_cycle, run_with_follow_ups
from sync.gateway.base import SheetsGateway
from sync.gateway.gspread import GspreadGateway
from sync.google_transport import open_client
from sync.mapping import Mapping, SpreadsheetMapping, load
from sync.retry import RetryPolicy
from sync.settings import WorkerSettings
from sync.wake import Wake

logger = logging.getLogger(__name__)


def lease_name(spreadsheet_key: str) -> str:
    return f"sync:{spreadsheet_key}"


def default_holder() -> str:
    """A name unique to this process, readable in the lease table."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def make_gateway(settings: WorkerSettings, retry: RetryPolicy | None = None) -> GspreadGateway:
    client = open_client(
        credentials_file=settings.google_application_credentials, api_url=settings.sheets_api_url
    )
    return GspreadGateway(client, retry=retry)


async def run_once(
    settings: WorkerSettings, *, dry_run: bool = False, confirm_deletes: bool = False, progress: bool = False
) -> CycleReport:
    """One cycle over every mapped spreadsheet; the report is failed if any part failed.

    Takes the lease for the cycle so it never runs beside a worker (a dry run reads only).
    """
    mapping = load(settings.sync_mapping_file)
    gateway = make_gateway(settings)
    holder = default_holder()
    reports = []
    for sheet in mapping.spreadsheets:
        name = lease_name(sheet.key)
        if not dry_run and not await lease.acquire(name, holder, ttl_seconds=_ttl(settings)):
            blocked = CycleReport(
                sheet.key, error=f"another worker holds the lease ({await lease.holder_of(name)})"
            )
            reports.append(blocked)
            continue
        if dry_run:
            reports.append(
                await run_cycle(
                    gateway, sheet, dry_run=True, confirm_deletes=confirm_deletes, progress=progress
                )
            )
            continue
        try:
            reports.append(
                await cycle_with_lease(
                    gateway,
                    sheet,
                    holder=holder,
                    ttl_seconds=_ttl(settings),
                    confirm_deletes=confirm_deletes,
                    progress=progress,
                )
            )
        finally:
            await lease.release(name, holder)
    return combine(reports)


async def cycle_with_lease(
    gateway: SheetsGateway,
    sheet: SpreadsheetMapping,
    *,
    holder: str,
    ttl_seconds: float,
    confirm_deletes: bool = False,
    progress: bool = False,
) -> CycleReport:
    """One cycle under a lease ``holder`` already holds, renewed in the background meanwhile.

    A cycle may outlive the TTL (a big first import, retries); without renewal a standby would
    take over while this one still writes. If the lease is lost anyway (renewals failed for a
    whole TTL, the process stalled), the cycle stops before its next write and reports failed.
    """
    name = lease_name(sheet.key)
    async with lease.kept(name, holder, ttl_seconds=ttl_seconds) as keeper:
        return await run_with_follow_ups(
            gateway, sheet, confirm_deletes=confirm_deletes, progress=progress, guard=keeper.check
        )


CycleListener = Callable[[CycleReport], Awaitable[None]]


async def run_worker(
    settings: WorkerSettings,
    *,
    stop: asyncio.Event,
    wake: asyncio.Event | None = None,
    name: str | None = None,
    on_cycle: Sequence[CycleListener] = (),
) -> None:
    """Sync every ``settings.sync_interval_seconds`` (or at once when ``wake`` is set) until ``stop``.

    Each spreadsheet is synced only while this worker holds its lease; a standby keeps trying
    and takes over when the holder stops renewing (dies) or releases it (clean shutdown).
    Every listener in ``on_cycle`` hears every report (the live layer tells `syncStatus`
    subscribers, `sync.metrics` counts); a listener's failure is logged and never stops syncing.
    """
    mapping: Mapping = load(settings.sync_mapping_file)
    gateway = make_gateway(settings)
    holder = name or default_holder()
    held: set[str] = set()
    try:
        while not stop.is_set():
            woken_by = wake.take_request_ids() if isinstance(wake, Wake) else []
            with request_id.bound(",".join(woken_by) or None):
                for sheet in mapping.spreadsheets:
                    if await _lead(lease_name(sheet.key), holder, settings, held):
                        report = await cycle_with_lease(
                            gateway, sheet, holder=holder, ttl_seconds=_ttl(settings)
                        )
                        log = logger.info if report.succeeded else logger.warning
                        log("%s", report)
                        await _tell(on_cycle, report)
            await _sleep(settings.sync_interval_seconds, stop, wake)
    finally:
        for lease_key in held:
            with contextlib.suppress(Exception):
                await lease.release(lease_key, holder)


async def _lead(name: str, holder: str, settings: WorkerSettings, held: set[str]) -> bool:
    try:
        leading = await lease.acquire(name, holder, ttl_seconds=_ttl(settings))
    except Exception:
        logger.exception("lease check failed")
        leading = False
    if leading and name not in held:
        logger.info("%s now leads %s", holder, name)
    (held.add if leading else held.discard)(name)
    return leading


async def _tell(listeners: Sequence[CycleListener], report: CycleReport) -> None:
    for listener in listeners:
        try:
            await listener(report)
        except Exception:
            logger.exception("cycle listener failed")


def _ttl(settings: WorkerSettings) -> float:
    # Renewed every TTL/3 during a cycle and again between cycles; long enough to ride out a
    # few failed renewals (a database hiccup), short enough that a dead holder is replaced
    # within about half a minute. A clean stop releases at once.
    return max(30.0, 3 * settings.sync_interval_seconds)


async def _sleep(seconds: float, stop: asyncio.Event, wake: asyncio.Event | None) -> None:
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
    if wake is not None:
        wake.clear()
