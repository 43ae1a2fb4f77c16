"""Wall time, peak memory and API calls per sync cycle for 10, 1,000 and 10,000 rows (first import,
idle, busy with 1% of the rows changed), against a naive full-rewrite baseline in the same run.

    .venv/bin/python bench/sync_cycle.py [--sizes 10,1000,10000] [--changed 0.01]

The baseline is what most sheet-sync tools do each cycle: read the whole tab and rewrite every
row from the database (no change check, no merge base), whether anything changed or not. It
costs the same whatever changed, and it overwrites staff edits; it is a cost yardstick only.

"Busy" changes 1% of the tab's rows before the cycle: half by staff through gspread, half
through the service layer (as API mutations do).

Memory is the worker's alone. The Sheets emulator runs as its own process (``eduhub emulator
--seed sample``, reached over HTTP like Google), not in a thread here: in a thread its cell
store, JSON encoding and request handling would share this process's heap and RSS, and no
filter can separate the bytes the worker caused the emulator to allocate. With the emulator
out, everything allocated in this process during a cycle is the worker's (gspread, merge,
Tortoise, SQLite). Two figures per cycle:

- heap MB: ``tracemalloc`` peak during the cycle above what was live when it began (Python
  allocations only). Tracing slows Python down several times, so it is taken in a second,
  identical pass and the wall times come from the untraced pass.
- RSS MB: the process's resident high-water mark during the cycle (``VmHWM``, reset before each
  cycle through ``/proc/self/clear_refs``), which also counts C allocations (SQLite, sockets)
  and the interpreter itself (about 100 MB before any work); Linux only, "-" elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise

from models.actor import SYSTEM_ACTOR
from models.db import migrate, tortoise_config
from models.enums import SchoolLevel
from models.school import School
from models.services import schools
from models.services.record_values import school_values
from models.services.write_scope import write_scope
from sync import a1, lease
from sync.cycle import CycleReport
from sync.emulator import SAMPLE_KEY
from sync.emulator.server import free_port
from sync.gateway.gspread import GspreadGateway
from sync.google_transport import open_client
from sync.mapping import SpreadsheetMapping, TabMapping, load
from sync.quota import TokenBucket
from sync.table import formatted
from sync.worker import cycle_with_lease, lease_name

EDUHUB = str(Path(sys.executable).with_name("eduhub"))


@dataclass
class Sample:
    """One measured cycle."""

    label: str
    calls: int
    seconds: float
    rss_mb: float | None
    heap_mb: float | None = None


class Emulator:
    """``eduhub emulator --seed sample`` in a subprocess: the empty sample spreadsheet, over HTTP."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [EDUHUB, "emulator", "--seed", "sample", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):  # up to about 30 s for the interpreter and uvicorn to come up
            try:
                if httpx.get(f"{self.url}/__emulator/log", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the emulator subprocess did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@contextmanager
def emulator() -> Iterator[Emulator]:
    running = Emulator()
    try:
        yield running
    finally:
        running.stop()


def _reset_rss_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _rss_peak_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


async def timed(label: str, gateway: GspreadGateway, work: Callable[[], Awaitable[Any]]) -> Sample:
    """Run ``work`` once, measuring calls, wall time, RSS high-water and (if tracing) heap peak."""
    before = sum(gateway.calls.values())
    tracing = tracemalloc.is_tracing()
    if tracing:
        tracemalloc.reset_peak()
        live, _ = tracemalloc.get_traced_memory()
    rss = _reset_rss_peak()
    started = time.perf_counter()
    result = await work()
    seconds = time.perf_counter() - started
    if isinstance(result, CycleReport):
        assert result.succeeded, str(result)
    heap = None
    if tracing:
        heap = (tracemalloc.get_traced_memory()[1] - live) / 2**20
    rss_mb = _rss_peak_mb() if rss else None
    return Sample(label, sum(gateway.calls.values()) - before, seconds, rss_mb, heap)


async def seed(count: int) -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        for i in range(count):
            await schools.create(
                scope,
                {
                    "code": f"75{i:06d}",
                    "name": f"학교{i}",
                    "level": SchoolLevel.ELEMENTARY,
                    "district": "미사",
                    "students": i % 3000,
                },
            )


async def naive_cycle(gateway: GspreadGateway, tab: TabMapping) -> None:
    """Read everything, rewrite everything (the baseline); grow the grid first when it is short."""
    [grid] = await gateway.read(SAMPLE_KEY, [tab.name])
    rows = [
        [s.pk, *[formatted(tab, c.field, school_values(s)[c.field]) for c in tab.columns]]
        for s in await School.all()
    ]
    if len(rows) + 1 > grid.row_count:
        grow = {"sheetId": grid.sheet_id, "dimension": "ROWS", "length": len(rows) + 1 - grid.row_count}
        await gateway.batch_update(SAMPLE_KEY, [{"appendDimension": grow}])
    body = {"valueInputOption": "RAW", "data": [{"range": f"{a1.quote(tab.name)}!A2", "values": rows}]}
    await gateway._call("values.batchUpdate", lambda: gateway.http.values_batch_update(SAMPLE_KEY, body))


async def change_rows(url: str, count: int, share: float, rng: random.Random) -> int:
    """Change ``share`` of the rows: half staff edits through gspread, half API edits."""
    changed = max(2, round(count * share))
    staff = open_client(credentials_file=None, api_url=url).open_by_key(SAMPLE_KEY).worksheet("학교")
    rows = rng.sample(range(2, count + 2), changed // 2)
    await asyncio.to_thread(
        staff.batch_update,
        [{"range": f"F{r}", "values": [[str(rng.randint(0, 3000))]]} for r in rows],
        raw=False,
    )
    ids = await School.all().values_list("id", flat=True)
    async with write_scope(SYSTEM_ACTOR) as scope:
        for school_id in rng.sample(list(ids), changed - changed // 2):
            school = await School.get(id=school_id)
            await schools.update(scope, school, {"name": f"{school.name}*"})
    return changed


def gateway_for(url: str) -> GspreadGateway:
    client = open_client(credentials_file=None, api_url=url)
    return GspreadGateway(client, bucket=TokenBucket(per_minute=10**6, capacity=10**6))


async def ours(gateway: GspreadGateway, sheet: SpreadsheetMapping) -> CycleReport:
    """A cycle as the worker runs it: under its lease, renewed and checked before each write."""
    return await cycle_with_lease(gateway, sheet, holder="bench", ttl_seconds=30)


async def settle(gateway: GspreadGateway, sheet: SpreadsheetMapping) -> CycleReport:
    for _ in range(4):
        report = await ours(gateway, sheet)
        assert report.succeeded, str(report)
        if report.idle:
            return report
    raise AssertionError(f"no idle cycle: {report}")


async def measure(count: int, share: float) -> list[Sample]:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite://{folder / 'bench.sqlite3'}"
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    rng = random.Random(count)
    sheet = load().spreadsheets[0]
    tab = sheet.tabs[0]
    samples = []
    try:
        await seed(count)
        assert await lease.acquire(lease_name(SAMPLE_KEY), "bench", ttl_seconds=30)
        # The baseline's first import needs an empty tab of its own: a separate emulator.
        with emulator() as empty:
            gateway = gateway_for(empty.url)
            samples.append(await timed("naive first import", gateway, lambda: naive_cycle(gateway, tab)))
        with emulator() as server:
            gateway = gateway_for(server.url)
            samples.append(await timed("first import", gateway, lambda: ours(gateway, sheet)))
            await settle(gateway, sheet)
            idle = await timed("idle", gateway, lambda: ours(gateway, sheet))
            assert idle.calls == 1, idle
            samples.append(idle)
            samples.append(await timed("naive idle", gateway, lambda: naive_cycle(gateway, tab)))
            await settle(gateway, sheet)  # the naive write bumped the Drive version
            changed = await change_rows(server.url, count, share, rng)
            samples.append(await timed(f"busy ({changed} rows)", gateway, lambda: ours(gateway, sheet)))
            await settle(gateway, sheet)
            changed = await change_rows(server.url, count, share, rng)
            samples.append(
                await timed(f"naive busy ({changed} rows)", gateway, lambda: naive_cycle(gateway, tab))
            )
    finally:
        await Tortoise.close_connections()
    return samples


def _ratio(ours: float | None, naive: float | None) -> str:
    if ours is None or not naive:
        return "-"
    return f"{ours / naive:.2f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(count: int, samples: list[Sample]) -> None:
    print(f"{'rows':>6}  {'cycle':<26} {'calls':>5} {'wall s':>8} {'heap MB':>8} {'RSS MB':>7}")
    for s in samples:
        memory = f"{_mb(s.heap_mb):>8} {_mb(s.rss_mb):>7}"
        print(f"{count:>6}  {s.label:<26} {s.calls:>5} {s.seconds:>8.3f} {memory}")
    by_kind = {s.label.split(" (")[0]: s for s in samples}
    print(f"{'':>6}  {'ours / naive':<26} {'calls':>5} {'wall':>8} {'heap':>8} {'RSS':>7}")
    for kind in ("first import", "idle", "busy"):
        ours, naive = by_kind[kind], by_kind[f"naive {kind}"]
        print(
            f"{'':>6}  {kind:<26} {_ratio(ours.calls, naive.calls):>5} "
            f"{_ratio(ours.seconds, naive.seconds):>8} {_ratio(ours.heap_mb, naive.heap_mb):>8} "
            f"{_ratio(ours.rss_mb, naive.rss_mb):>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--changed", type=float, default=0.01, help="share of rows changed when busy")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        plain = asyncio.run(measure(size, args.changed))
        tracemalloc.start()
        try:
            traced = asyncio.run(measure(size, args.changed))
        finally:
            tracemalloc.stop()
        for sample, twin in zip(plain, traced, strict=True):
            sample.heap_mb = twin.heap_mb
        report(size, plain)
        print()


if __name__ == "__main__":
    main()
