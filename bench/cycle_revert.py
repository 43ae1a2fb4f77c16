"""Seconds to sync a 200-row paste in a real cycle, to revert that cycle, and for the next cycle
to carry the revert to the sheet, on SQLite and PostgreSQL.

    .venv/bin/python bench/cycle_revert.py [--rows 200] [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

Staff paste a whole 학생수 column over the 학교 tab through gspread (the Sheets emulator in a
thread); the worker's cycle takes it in; `models.services.cycle_revert.revert` puts every value
back as new audited changes; the next cycle writes them to the sheet. Each figure is checked
(the database and the sheet hold the old values again) before it is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from models.actor import SYSTEM_ACTOR, Actor
from models.db import migrate, tortoise_config
from models.enums import ActorKind, Role, SchoolLevel
from models.school import School
from models.services import schools
from models.services.cycle_revert import revert
from models.services.write_scope import write_scope
from models.sync_cycle import SyncCycle
from sync.cycle import run_with_follow_ups
from sync.emulator import SAMPLE_KEY, EmulatorServer, QuotaLimits
from sync.emulator.seed import SAMPLE_TABS
from sync.gateway.gspread import GspreadGateway
from sync.google_transport import open_client
from sync.mapping import load
from sync.quota import TokenBucket

ADMIN = Actor(ActorKind.API_TOKEN, "bench", Role.ADMIN)
BENCH_DATABASE = "eduhub_bench_cycle_revert"


async def _seed(rows: int) -> list[int]:
    async with write_scope(SYSTEM_ACTOR) as scope:
        for i in range(rows):
            await schools.create(
                scope,
                {
                    "code": f"75{i:06d}",
                    "name": f"학교{i}",
                    "level": SchoolLevel.ELEMENTARY,
                    "district": "미사",
                    "students": 100 + i,
                },
            )
    return [s.students for s in await School.all().order_by("id")]


async def _run(url: str, rows: int) -> dict[str, float]:
    await migrate(url)
    EXECUTOR_CACHE.clear()  # Tortoise caches insert SQL per connection name, not per dialect
    await Tortoise.init(config=tortoise_config(url))
    try:
        with EmulatorServer() as server:
            server.emulator.quota.limits = QuotaLimits(enabled=False)
            server.emulator.create_spreadsheet("하남 교육협력 현황", SAMPLE_TABS, key=SAMPLE_KEY)
            sheet = load().spreadsheets[0]
            client = open_client(credentials_file=None, api_url=server.url)
            gateway = GspreadGateway(client, bucket=TokenBucket(per_minute=10**6, capacity=10**6))
            before = await _seed(rows)
            for _ in range(4):  # the first import, then until a cycle is idle
                if (await run_with_follow_ups(gateway, sheet)).idle:
                    break
            staff = open_client(credentials_file=None, api_url=server.url).open_by_key(SAMPLE_KEY)
            pasted = [[str(7)] for _ in range(rows)]
            await asyncio.to_thread(staff.worksheet("학교").update, pasted, f"F2:F{rows + 1}", raw=False)

            started = time.perf_counter()
            report = await run_with_follow_ups(gateway, sheet)
            sync_seconds = time.perf_counter() - started
            assert report.succeeded and report.counts["sheet->db"] == rows, str(report)
            cycle = await SyncCycle.filter(to_database=rows).order_by("-id").first()
            assert cycle is not None

            started = time.perf_counter()
            result = await revert(cycle.pk, actor=ADMIN)
            revert_seconds = time.perf_counter() - started
            assert len(result.restored) == rows and not result.conflicts
            assert [s.students for s in await School.all().order_by("id")] == before

            started = time.perf_counter()
            carried = await run_with_follow_ups(gateway, sheet)
            carry_seconds = time.perf_counter() - started
            assert carried.succeeded and carried.counts["db->sheet"] == rows, str(carried)
            shown = server.emulator.values(SAMPLE_KEY, "'학교'")[1 : rows + 1]
            assert [int(r[5]) for r in shown] == before
    finally:
        await Tortoise.close_connections()
    return {"sync": sync_seconds, "revert": revert_seconds, "carry": carry_seconds}


async def _fresh_postgres(admin_dsn: str) -> str:
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    finally:
        await connection.close()
    return admin_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1) + f"/{BENCH_DATABASE}"


async def _drop_postgres(admin_dsn: str) -> None:
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        figures["SQLite"] = await _run(f"sqlite://{Path(folder) / 'bench.sqlite3'}", args.rows)
    try:
        figures["PostgreSQL"] = await _run(await _fresh_postgres(args.postgres), args.rows)
    finally:
        await _drop_postgres(args.postgres)
    print(
        f"{args.rows}-row paste: seconds (sync = the cycle taking the paste in; revert; carry = next cycle)"
    )
    print(f"{'engine':<12}{'sync':>8}{'revert':>8}{'carry':>8}")
    for engine, f in figures.items():
        print(f"{engine:<12}{f['sync']:>8.3f}{f['revert']:>8.3f}{f['carry']:>8.3f}")


if __name__ == "__main__":
    asyncio.run(main())
