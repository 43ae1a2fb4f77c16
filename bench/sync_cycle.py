"""API calls and wall time per sync cycle for 10, 1,000 and 10,000 rows, idle and busy,
against a naive full-rewrite baseline measured in the same run.

    .venv/bin/python bench/sync_cycle.py [--sizes 10,1000,10000] [--edits 20]

The baseline is what most sheet-sync tools do each cycle: read the whole tab and rewrite every
row from the database (no change check, no merge base), whether anything changed or not.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from models.actor import SYSTEM_ACTOR
from models.db import migrate, tortoise_config
from models.enums import SchoolLevel
from models.school import School
from models.services import schools
from models.services.record_values import school_values
from models.services.write_scope import write_scope
from sync import a1
from sync.cycle import run_cycle
from sync.emulator import SAMPLE_KEY, EmulatorServer, QuotaLimits
from sync.emulator.seed import SAMPLE_TABS
from sync.gateway.gspread import GspreadGateway
from sync.google_transport import open_client
from sync.mapping import load
from sync.quota import TokenBucket
from sync.table import formatted


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


async def naive_cycle(gateway: GspreadGateway, tab: Any) -> None:
    """Read everything, rewrite everything (the baseline)."""
    await gateway.batch_get(SAMPLE_KEY, [a1.quote(tab.name)])
    rows = [
        [s.pk, *[formatted(tab, c.field, school_values(s)[c.field]) for c in tab.columns]]
        for s in await School.all()
    ]
    await gateway.values_batch_update(SAMPLE_KEY, [{"range": f"{a1.quote(tab.name)}!A2", "values": rows}])


async def busy_edits(server: EmulatorServer, edits: int, count: int, rng: random.Random) -> None:
    staff = open_client(credentials_file=None, api_url=server.url).open_by_key(SAMPLE_KEY).worksheet("학교")
    cells = [f"F{rng.randint(2, count + 1)}" for _ in range(edits // 2)]
    staff.batch_update([{"range": c, "values": [[str(rng.randint(0, 3000))]]} for c in cells], raw=False)
    ids = await School.all().limit(count).values_list("id", flat=True)
    async with write_scope(SYSTEM_ACTOR) as scope:
        for school_id in rng.sample(list(ids), min(edits - edits // 2, len(ids))):
            school = await School.get(id=school_id)
            await schools.update(scope, school, {"name": f"{school.name}*"})


async def measure(count: int, edits: int) -> list[tuple[str, int, float]]:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite://{folder / 'bench.sqlite3'}"
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    rng = random.Random(count)
    results = []
    try:
        await seed(count)
        with EmulatorServer() as server:
            server.emulator.quota.limits = QuotaLimits(enabled=False)
            server.emulator.create_spreadsheet("bench", SAMPLE_TABS, key=SAMPLE_KEY)
            sheet = load().spreadsheets[0]
            client = open_client(credentials_file=None, api_url=server.url)
            gateway = GspreadGateway(client, bucket=TokenBucket(per_minute=10**6, capacity=10**6))
            first = await run_cycle(gateway, sheet, progress=True)
            assert first.succeeded, str(first)
            results.append(("first import", first.total_calls, first.seconds))
            for _ in range(3):
                report = await run_cycle(gateway, sheet)
            assert report.idle, str(report)
            results.append(("idle", report.total_calls, report.seconds))
            await busy_edits(server, edits, count, rng)
            busy = await run_cycle(gateway, sheet)
            assert busy.succeeded, str(busy)
            results.append((f"busy ({edits} edits)", busy.total_calls, busy.seconds))
            tab = sheet.tabs[0]
            for label in ("naive idle", f"naive busy ({edits} edits)"):
                before = sum(gateway.calls.values())
                started = time.perf_counter()
                await naive_cycle(gateway, tab)
                results.append((label, sum(gateway.calls.values()) - before, time.perf_counter() - started))
    finally:
        await Tortoise.close_connections()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    print(f"{'rows':>6}  {'cycle':<26} {'API calls':>9} {'wall s':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        for label, calls, seconds in asyncio.run(measure(size, args.edits)):
            print(f"{size:>6}  {label:<26} {calls:>9} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
