"""Fresh PostgreSQL databases for `bench/api.py`: the project's migrations, then generated rows.

Scale N: 50 x N schools, 10 programs each, 5 budget lines each, from a fixed seed, so every run
(and every server in a run) reads the same rows.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

ADMIN_DSN = os.environ.get("TEST_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
EDUHUB = str(Path(sys.executable).with_name("eduhub"))
REPO = Path(__file__).resolve().parents[2]
SEED = 20261201
SCHOOLS_PER_SCALE = 50
PROGRAMS_PER_SCHOOL = 10
LINES_PER_PROGRAM = 5
DISTRICTS = ("미사", "위례", "감일", "신장", "덕풍")
LEVELS = ("ELEMENTARY", "MIDDLE", "HIGH", "SPECIAL")
CATEGORIES = (
    "SCHOOL_SPECIALIZATION",
    "HIGH_SCHOOL_SPECIALIZATION",
    "CAMPUS_TOUR",
    "CORPORATE_EXPERIENCE",
    "VILLAGE_EXPERIENCE_SCHOOL",
    "SHARED_SCHOOL",
    "OTHER",
)
FUNDERS = ("CITY", "OFFICE_OF_EDUCATION", "PROVINCE", "OTHER")
STAMP = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@dataclass(frozen=True)
class MutableLine:
    """A budget line the mutation case toggles between two executed amounts."""

    id: int
    executed: int
    other: int  # the second amount, also within allocated


@dataclass(frozen=True)
class Dataset:
    scale: int
    database: str
    dsn: str
    partner_token: str
    staff_token: str
    school_codes: list[str]
    mutable_lines: list[MutableLine]

    @property
    def schools(self) -> int:
        return len(self.school_codes)


def database_url(database: str) -> str:
    return ADMIN_DSN.rsplit("/", 1)[0] + "/" + database


async def admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def create(scale: int, *, connections: int) -> Dataset:
    """Drop and recreate `<BENCH_DATABASE_PREFIX>_<scale>` (default `eduhub_bench_api_<scale>`),
    migrate it, fill it, make two tokens. A prefix of its own keeps two runs apart."""
    database = f"{os.environ.get('BENCH_DATABASE_PREFIX', 'eduhub_bench_api')}_{scale}"
    await admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    await admin(f'CREATE DATABASE "{database}"')
    dsn = database_url(database)
    _eduhub(dsn, "migrate")
    codes = await _fill(dsn, scale)
    lines = await _mutable_lines(dsn, connections)
    return Dataset(
        scale=scale,
        database=database,
        dsn=dsn,
        partner_token=_token(dsn, "partner"),
        staff_token=_token(dsn, "staff"),
        school_codes=codes,
        mutable_lines=lines,
    )


async def reset_lines(dataset: Dataset) -> None:
    """Put the mutation case's lines back, so the next server reads the same figures."""
    connection = await asyncpg.connect(dataset.dsn)
    try:
        await connection.executemany(
            "UPDATE budget_line SET executed = $2 WHERE id = $1",
            [(line.id, line.executed) for line in dataset.mutable_lines],
        )
    finally:
        await connection.close()


def _eduhub(dsn: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": dsn}
    done = subprocess.run(
        [EDUHUB, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"eduhub {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _token(dsn: str, role: str) -> str:
    return _eduhub(dsn, "token", "create", "--role", role, "--name", f"bench {role}").strip().splitlines()[-1]


async def _fill(dsn: str, scale: int) -> list[str]:
    rng = random.Random(SEED + scale)
    schools: list[tuple[object, ...]] = []
    programs: list[tuple[object, ...]] = []
    lines: list[tuple[object, ...]] = []
    for s in range(1, SCHOOLS_PER_SCALE * scale + 1):
        code = f"B{s:06d}"
        district = rng.choice(DISTRICTS)
        schools.append((s, code, f"{district}{s}학교", rng.choice(LEVELS), district, rng.randint(100, 1500)))
        for p in range(PROGRAMS_PER_SCHOOL):
            pid = (s - 1) * PROGRAMS_PER_SCHOOL + p + 1
            name = f"{district}{s}학교 사업 {p + 1}"
            programs.append((pid, f"HN-{s:06d}-{p:02d}", name, rng.choice(CATEGORIES), s, 2026))
            for _ in range(LINES_PER_PROGRAM):
                allocated = rng.randint(1, 100_000) * 1000
                executed = rng.randint(0, allocated // 1000) * 1000
                lines.append(
                    (len(lines) + 1, pid, rng.choice((2025, 2026)), rng.choice(FUNDERS), allocated, executed)
                )
    connection = await asyncpg.connect(dsn)
    try:
        await _copy(connection, "school", ("id", "code", "name", "level", "district", "students"), schools)
        await _copy(
            connection, "program", ("id", "code", "name", "category", "school_id", "fiscal_year"), programs
        )
        await _copy(
            connection,
            "budget_line",
            ("id", "program_id", "fiscal_year", "funder", "allocated", "executed"),
            lines,
        )
        for table in ("school", "program", "budget_line"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608 (fixed names)
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return [str(row[1]) for row in schools]


async def _copy(
    connection: asyncpg.Connection, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]
) -> None:
    # Columns the models fill on create (timestamps, status, texts) are set here the same way.
    extra: dict[str, tuple[object, ...]] = {
        "school": (STAMP, STAMP),
        "program": (STAMP, STAMP, "ACTIVE", ""),
        "budget_line": (STAMP, STAMP, ""),
    }
    names = {
        "school": ("created_at", "updated_at"),
        "program": ("created_at", "updated_at", "status", "description"),
    }
    extra_names = names.get(table, ("created_at", "updated_at", "note"))
    await connection.copy_records_to_table(
        table, records=[row + extra[table] for row in rows], columns=[*columns, *extra_names]
    )


async def _mutable_lines(dsn: str, count: int) -> list[MutableLine]:
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            "SELECT id, allocated, executed FROM budget_line WHERE allocated >= 2000 ORDER BY id LIMIT $1",
            count,
        )
    finally:
        await connection.close()
    return [
        MutableLine(
            id=row["id"],
            executed=row["executed"],
            other=row["executed"] // 2 if row["executed"] else row["allocated"] // 2,
        )
        for row in rows
    ]
