"""A database at a past schema migrates to the newest one without losing a row, on both engines.

The past is a named migration (each of `PASTS`, the schemas databases in use have today). The test:
1. fills a database at the newest schema through the service layer (the sample data, a token,
   and a row in every sync bookkeeping table);
2. migrates a fresh database only up to that past (Tortoise's own `migrate models <name>`) and
   copies every row into it, column by column as that schema has them;
3. runs `eduhub migrate` on it, as an office upgrading would, and checks every table still has
   every row with every value it had.
Migrations written later are covered without touching this file: step 3 runs them all, and the
test checks that the head it reached is every migration in models/migrations.

The rows come from a newest-schema database because the ORM only knows the newest schema; a
later migration that rewrites the values of a past column (not only adds to the schema) needs a
look of its own here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

import models.migrations
from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.enums import UNSYNCED_RECORD_TYPES, RecordType, Role
from models.sample_data import load_sample_data
from models.school import School
from models.services import tokens, year_closing
from models.services.write_scope import write_scope
from models.sync_cycle import SyncCycle
from models.sync_state import QuotaBucket, SyncConflict, SyncCursor, SyncedRow, SyncIssue, SyncLease
from tests.conftest import POSTGRES_ADMIN_DSN
from tests.models.migration_kit import raw_database

# The schemas databases in use have: before sessions and cycles, and what the last release shipped.
PASTS = ("0011_partner", "0015_sheet_tab_ids")
ALL_MIGRATIONS = sorted(path.stem for path in Path(models.migrations.__file__).parent.glob("[0-9]*_*.py"))
# Columns a later migration drops on purpose: {table: {column, ...}}, each with its reason. A
# column dropped without an entry here is data lost.
DROPPED_ON_PURPOSE: dict[str, set[str]] = {}
ROOT = Path(__file__).resolve().parents[2]
SPREADSHEET = "1SampleSpreadsheetKey"


@pytest.fixture
async def past_url(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """A second, empty database of the same engine as `db` (not migrated)."""
    if database_url.startswith("sqlite://"):
        yield f"sqlite://{tmp_path / 'past.sqlite3'}"
        return
    name = f"eduhub_forward_{os.getpid()}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield database_url.rsplit("/", 1)[0] + "/" + name
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _run(code: str, args: list[str], database_url: str) -> None:
    environment = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def migrate_to(database_url: str, migration: str) -> None:
    """Tortoise's own runner, stopping at `migration` (what a database of that day has)."""
    _run(
        "from tortoise.cli import main; main()",
        ["-c", "models.db.TORTOISE_ORM", "migrate", "models", migration],
        database_url,
    )


def eduhub_migrate(database_url: str) -> None:
    _run("from api.cli import main; main()", ["migrate"], database_url)


async def _fill_every_table() -> None:
    await load_sample_data()
    async with write_scope(SYSTEM_ACTOR) as scope:  # a closing, so its record type is in the events
        await year_closing.close(scope, 2024)
    await tokens.create(name="광주하남교육지원청", role=Role.PARTNER)
    school = await School.all().order_by("id").first()
    assert school is not None
    where: dict[str, Any] = {
        "spreadsheet_key": SPREADSHEET,
        "record_type": RecordType.SCHOOL,
        "record_id": school.id,
    }
    await SyncedRow.create(**where, tab="학교", row_key="1", snapshot={"name": school.name}, anchor="a-1")
    await SyncConflict.create(
        **where,
        tab="학교",
        field="students",
        base_value=10,
        sheet_value="=1+1",
        database_value=12,
        applied_side="SHEET",
    )
    await SyncIssue.create(
        spreadsheet_key=SPREADSHEET,
        tab="예산",
        row_number=7,
        column="배정액",
        row_key="12",
        value="일억",
        code="NOT_A_NUMBER",
        problem="배정액은 숫자여야 합니다.",
    )
    await SyncCursor.create(
        spreadsheet_key=SPREADSHEET, last_event_id=5, notes={"학교!1!students": "충돌"}, event_gaps={"3": "x"}
    )
    await SyncLease.create(name=SPREADSHEET, holder="worker-1", expires_at=datetime(2026, 12, 2, tzinfo=UTC))
    await QuotaBucket.create(name="sync@example.org", tokens=59.5, updated_at=1_764_633_600.25)
    cycle = await SyncCycle.create(
        spreadsheet_key=SPREADSHEET,
        started_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        finished_at=datetime(2026, 12, 1, 9, 0, 2, tzinfo=UTC),
        outcome="SUCCEEDED",
        to_database=1,
    )
    await ChangeEvent.filter(record_type=RecordType.SCHOOL, record_id=school.id).update(cycle_id=cycle.id)


# Record types a past database cannot hold yet (0016 brought them): their events are not copied.
NEWER_RECORD_TYPES = {str(record_type) for record_type in UNSYNCED_RECORD_TYPES}


def _as_of_then(columns: list[str], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    if "record_type" not in columns:
        return rows
    at = columns.index("record_type")
    return [row for row in rows if str(row[at]) not in NEWER_RECORD_TYPES]


@pytest.mark.parametrize("past", PASTS)
async def test_a_database_at_a_past_schema_migrates_to_the_head_without_losing_a_row(
    db: str, past_url: str, past: str
) -> None:
    assert past in ALL_MIGRATIONS
    await _fill_every_table()
    migrate_to(past_url, past)

    before: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    async with raw_database(db) as source, raw_database(past_url) as at_past:
        assert await at_past.applied_migrations() == [m for m in ALL_MIGRATIONS if m <= past]
        for table in await at_past.tables():
            columns = await at_past.columns(table)
            rows = _as_of_then(columns, await source.rows(table, columns))
            assert rows, f"the sample leaves {table} empty: fill it in _fill_every_table"
            await at_past.replace_rows(table, columns, rows)
            before[table] = (columns, await at_past.rows(table, columns))
    assert {"school", "program", "budget_line", "partner", "program_partner", "change_event"} <= set(before)

    eduhub_migrate(past_url)

    async with raw_database(past_url) as head:
        assert await head.applied_migrations() == ALL_MIGRATIONS  # every migration there is ran
        assert set(before) <= set(await head.tables()), "a table was dropped"
        for table, (columns, rows) in before.items():
            now = await head.columns(table)
            assert {c for c in columns if c not in now} == DROPPED_ON_PURPOSE.get(table, set()), table
            kept = [c for c in columns if c in now]
            after = await head.rows(table, kept)
            assert len(after) == len(rows), f"{table}: {len(rows)} rows before, {len(after)} after"
            assert after == [tuple(row[columns.index(c)] for c in kept) for row in rows], table
        # A few values by name, for the reader: money to the won, Korean text, a float.
        money = before["budget_line"][0].index("allocated")
        assert sum(int(row[money]) for row in before["budget_line"][1]) > 0
        schools = await head.rows("school", ["name"])
        assert ("하남초등학교",) in schools
        assert await head.rows("quota_bucket", ["tokens"]) == [(59.5,)]
        # 0017: lines from before stages are AGREED (확정) with no carry-over, disbursed or unused.
        staged = await head.rows("budget_line", ["stage", "disbursed", "carried_in", "carried_out", "unused"])
        assert len(staged) == len(before["budget_line"][1])
        assert set(staged) == {("AGREED", 0, 0, 0, 0)}

    # The head holds what 0016 brought: its tables, and events of the new record types, whose
    # names ("SupplementaryAgreement") need the widened record_type column.
    async with raw_database(db) as source, raw_database(past_url) as head:
        added = {"agreement", "supplementary_agreement", "allocation", "allocation_share"}
        assert added <= set(await head.tables())
        columns = await head.columns("change_event")
        events = await source.rows("change_event", columns)
        assert {str(row[columns.index("record_type")]) for row in events} >= NEWER_RECORD_TYPES
        await head.replace_rows("change_event", columns, events)
        assert len(await head.rows("change_event", ["id"])) == len(events)
