"""Per-request DataLoaders: every relation of a nested query is one SQL statement per level.

A fresh `Loaders` belongs to each request (its cache must not outlive the request's view of the
data); long-lived WebSocket contexts use `Loaders(cache=False)`, which still batches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models.budget_line import BudgetLine as BudgetLineRow
from models.partner import Partner as PartnerRow
from models.program import Program as ProgramRow
from models.school import School as SchoolRow
from schema import partner_loaders
from schema.partner_records import PARTNER_COLUMNS, Partner, ProgramPartner
from schema.records import (
    BUDGET_LINE_COLUMNS,
    PROGRAM_COLUMNS,
    SCHOOL_COLUMNS,
    BudgetLine,
    Program,
    School,
)

T = TypeVar("T")


async def _by_id(
    model: type[Model], columns: Sequence[str], build: Callable[[dict[str, Any]], T], keys: list[int]
) -> list[T | None]:
    rows = await model.filter(id__in=keys).values(*columns)
    found = {row["id"]: build(row) for row in rows}
    return [found.get(key) for key in keys]


async def _children(
    model: type[Model],
    parent: str,
    order: str,
    columns: Sequence[str],
    build: Callable[[dict[str, Any]], T],
    keys: list[int],
) -> list[list[T]]:
    rows = (
        await model.filter(**{f"{parent}__in": keys}, archived_at__isnull=True)
        .order_by(order)
        .values(*columns)
    )
    grouped: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        grouped[row[parent]].append(build(row))
    return [grouped.get(key, []) for key in keys]


class Loaders:
    """The DataLoaders of one request (or one WebSocket connection, uncached).

    Records loaded as children are remembered by id too, so walking back up
    (`budgetLines { program }`, `programs { school }`) costs no further statement.
    """

    def __init__(self, *, cache: bool = True) -> None:
        self.school_by_id = DataLoader[int, School | None](
            lambda keys: _by_id(SchoolRow, SCHOOL_COLUMNS, School.from_row, keys), cache=cache
        )
        self.program_by_id = DataLoader[int, Program | None](
            lambda keys: _by_id(ProgramRow, PROGRAM_COLUMNS, Program.from_row, keys), cache=cache
        )
        self.line_by_id = DataLoader[int, BudgetLine | None](
            lambda keys: _by_id(BudgetLineRow, BUDGET_LINE_COLUMNS, BudgetLine.from_row, keys), cache=cache
        )
        self.programs_by_school = DataLoader[int, list[Program]](self._programs_by_school, cache=cache)
        self.lines_by_program = DataLoader[int, list[BudgetLine]](self._lines_by_program, cache=cache)
        self.partner_by_id = DataLoader[int, Partner | None](
            lambda keys: _by_id(PartnerRow, PARTNER_COLUMNS, Partner.from_row, keys), cache=cache
        )
        self.partners_by_program = DataLoader[int, list[ProgramPartner]](
            lambda keys: partner_loaders.partners_of_programs(keys, self.partner_by_id.prime_many),
            cache=cache,
        )
        self.programs_by_partner = DataLoader[int, list[ProgramPartner]](
            lambda keys: partner_loaders.programs_of_partners(keys, self.program_by_id.prime_many),
            cache=cache,
        )

    def remember_schools(self, schools: Iterable[School]) -> None:
        self.school_by_id.prime_many({school.id: school for school in schools})

    def remember_partners(self, partners: Iterable[Partner]) -> None:
        self.partner_by_id.prime_many({partner.id: partner for partner in partners})

    def remember_programs(self, programs: Iterable[Program]) -> None:
        self.program_by_id.prime_many({program.id: program for program in programs})

    async def _programs_by_school(self, keys: list[int]) -> list[list[Program]]:
        found = await _children(ProgramRow, "school_id", "code", PROGRAM_COLUMNS, Program.from_row, keys)
        self.remember_programs(program for programs in found for program in programs)
        return found

    async def _lines_by_program(self, keys: list[int]) -> list[list[BudgetLine]]:
        return await _children(
            BudgetLineRow, "program_id", "id", BUDGET_LINE_COLUMNS, BudgetLine.from_row, keys
        )
