"""A small world for sync scenario tests: the emulator in a thread, the sample spreadsheet,
a worker-side gateway and a staff-side gspread client (unmodified gspread for both)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import gspread
import pytest

from models.actor import SYSTEM_ACTOR
from models.enums import Funder, ProgramCategory, ProgramStatus, SchoolLevel
from models.services import budget_lines, programs, schools
from models.services.write_scope import write_scope
from sync.cycle import CycleReport, run_with_follow_ups
from sync.emulator import SAMPLE_KEY, EmulatorServer, QuotaLimits
from sync.emulator.seed import SAMPLE_TABS
from sync.gateway.gspread import GspreadGateway
from sync.google_transport import open_client
from sync.mapping import SpreadsheetMapping, load
from sync.quota import TokenBucket
from sync.retry import RetryPolicy

FAST_RETRY = RetryPolicy(attempts=5, initial=0.01, cap=0.05)


class World:
    """Worker and staff views of one spreadsheet, with helpers for the usual moves."""

    def __init__(self, server: EmulatorServer, sheet: SpreadsheetMapping) -> None:
        self.server = server
        self.emulator = server.emulator
        self.sheet = sheet
        self.key = sheet.key
        self.gateway = self.new_gateway()
        self.staff = open_client(credentials_file=None, api_url=server.url).open_by_key(self.key)

    def new_gateway(self) -> GspreadGateway:
        client = open_client(credentials_file=None, api_url=self.server.url)
        return GspreadGateway(client, bucket=TokenBucket(per_minute=60_000, capacity=1_000), retry=FAST_RETRY)

    async def cycle(self, *, ok: bool = True, **kw: Any) -> CycleReport:
        """A cycle as the worker runs it: with the follow-ups that create rows it anchored."""
        report = await run_with_follow_ups(self.gateway, self.sheet, **kw)
        if ok:
            assert report.succeeded, str(report)
        return report

    async def settle(self, rounds: int = 4) -> CycleReport:
        """Cycle until a cycle is idle (the worker's own writes cost one confirming read)."""
        for _ in range(rounds):
            report = await self.cycle()
            if report.idle:
                return report
        raise AssertionError(f"no idle cycle after {rounds} rounds: {report}")

    def tab(self, name: str) -> gspread.Worksheet:
        return self.staff.worksheet(name)

    def rows(self, name: str) -> list[list[Any]]:
        return self.emulator.values(self.key, f"'{name}'")

    def note(self, name: str, cell: str) -> str:
        return str(self.tab(name).get_note(cell))


@pytest.fixture
async def world(db: str) -> AsyncIterator[World]:
    with EmulatorServer() as server:
        server.emulator.quota.limits = QuotaLimits(enabled=False)
        server.emulator.create_spreadsheet("하남 교육협력 현황", SAMPLE_TABS, key=SAMPLE_KEY)
        yield World(server, load().spreadsheets[0])


async def add_school(code: str = "7530001", name: str = "미사초등학교", students: int = 500) -> int:
    async with write_scope(SYSTEM_ACTOR) as scope:
        school = await schools.create(
            scope,
            {
                "code": code,
                "name": name,
                "level": SchoolLevel.ELEMENTARY,
                "district": "미사",
                "students": students,
            },
        )
    return int(school.pk)


async def add_program(code: str = "P-001", school_code: str | None = None) -> int:
    async with write_scope(SYSTEM_ACTOR) as scope:
        program = await programs.create(
            scope,
            {
                "code": code,
                "name": "캠퍼스 투어",
                "category": ProgramCategory.CAMPUS_TOUR,
                "school_code": school_code,
                "fiscal_year": 2025,
                "status": ProgramStatus.ACTIVE,
            },
        )
    return int(program.pk)


async def add_line(program_code: str = "P-001", allocated: int = 5_000_000, executed: int = 0) -> int:
    async with write_scope(SYSTEM_ACTOR) as scope:
        line = await budget_lines.create(
            scope,
            {
                "program_code": program_code,
                "fiscal_year": 2025,
                "funder": Funder.CITY,
                "allocated": allocated,
                "executed": executed,
            },
        )
    return int(line.pk)


async def until(
    condition: Callable[[], Awaitable[bool]], what: str, *, attempts: int = 600, pause: float = 0.02
) -> None:
    """Wait for something a worker or a held request brings about.

    A bound on attempts so a broken test ends, never a timing assertion.
    """
    for _ in range(attempts):
        if await condition():
            return
        await asyncio.sleep(pause)
    raise AssertionError(f"never happened: {what}")
