"""Per-request DataLoaders: every relation of a nested query is one SQL statement per level
(one array parameter on PostgreSQL, `schema.batch_rows`).

A fresh `Loaders` belongs to each request (its cache must not outlive the request's view of the
data); long-lived WebSocket contexts use `Loaders(cache=False)`, which still batches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models.agreement import Agreement as AgreementRow
from models.allocation import Allocation as AllocationRow
from models.budget_line import BudgetLine as BudgetLineRow
from models.partner import Partner as PartnerRow
from models.program import Program as ProgramRow
from models.program_session import ProgramSession as SessionRow
from models.school import School as SchoolRow
from models.supplementary_agreement import SupplementaryAgreement as SupplementRow
from schema import agreement_loaders, partner_loaders
from schema.agreement_records import (
    AGREEMENT_COLUMNS,
    ALLOCATION_COLUMNS,
    SUPPLEMENT_COLUMNS,
    Agreement,
    Allocation,
    AllocationShare,
    SupplementaryAgreement,
)
from schema.batch_rows import rows_where_in
from schema.partner_records import PARTNER_COLUMNS, Partner, ProgramPartner
from schema.records import (
    BUDGET_LINE_COLUMNS,
    PROGRAM_COLUMNS,
    SCHOOL_COLUMNS,
    BudgetLine,
    Program,
    School,
)
from schema.session_records import SESSION_COLUMNS, ProgramSession

T = TypeVar("T")


async def _by_id(
    model: type[Model], columns: Sequence[str], build: Callable[[dict[str, Any]], T], keys: list[int]
) -> list[T | None]:
    rows = await rows_where_in(model, columns, "id", keys, order="id", live_only=False)
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
    rows = await rows_where_in(model, columns, parent, keys, order=order, live_only=True)
    grouped: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        grouped[row[parent]].append(build(row))
    return [grouped.get(key, []) for key in keys]


LOADER_NAMES = (
    "school_by_id",
    "program_by_id",
    "line_by_id",
    "programs_by_school",
    "lines_by_program",
    "partner_by_id",
    "partners_by_program",
    "programs_by_partner",
    "session_by_id",
    "agreement_by_id",
    "supplement_by_id",
    "allocation_by_id",
    "supplements_by_agreement",
    "allocations_by_supplement",
    "allocations_by_program",
    "shares_by_allocation",
    "budgeted_by_program_year",
)


class Loaders:
    """The DataLoaders of one request (or one WebSocket connection, uncached).

    Records loaded as children are remembered by id too, so walking back up
    (`budgetLines { program }`, `programs { school }`) costs no further statement.
    """

    def __init__(self, *, cache: bool = True) -> None:
        self.cache = cache
        # Records this request already holds, by id: walking back up to them is a dict look-up
        # in a sync resolver (a DataLoader future per line was most of `budgetLines { program }`).
        self.schools: dict[int, School] = {}
        self.programs: dict[int, Program] = {}

    # DataLoaders are made on first use: most requests need one or two of them, or none.
    @cached_property
    def school_by_id(self) -> DataLoader[int, School | None]:
        return DataLoader(
            lambda keys: _by_id(SchoolRow, SCHOOL_COLUMNS, School.from_row, keys), cache=self.cache
        )

    @cached_property
    def program_by_id(self) -> DataLoader[int, Program | None]:
        return DataLoader(
            lambda keys: _by_id(ProgramRow, PROGRAM_COLUMNS, Program.from_row, keys), cache=self.cache
        )

    @cached_property
    def line_by_id(self) -> DataLoader[int, BudgetLine | None]:
        return DataLoader(
            lambda keys: _by_id(BudgetLineRow, BUDGET_LINE_COLUMNS, BudgetLine.from_row, keys),
            cache=self.cache,
        )

    @cached_property
    def programs_by_school(self) -> DataLoader[int, list[Program]]:
        return DataLoader(self._programs_by_school, cache=self.cache)

    @cached_property
    def lines_by_program(self) -> DataLoader[int, list[BudgetLine]]:
        return DataLoader(self._lines_by_program, cache=self.cache)

    @cached_property
    def partner_by_id(self) -> DataLoader[int, Partner | None]:
        return DataLoader(
            lambda keys: _by_id(PartnerRow, PARTNER_COLUMNS, Partner.from_row, keys), cache=self.cache
        )

    @cached_property
    def partners_by_program(self) -> DataLoader[int, list[ProgramPartner]]:
        return DataLoader(
            lambda keys: partner_loaders.partners_of_programs(keys, self.partner_by_id.prime_many),
            cache=self.cache,
        )

    @cached_property
    def programs_by_partner(self) -> DataLoader[int, list[ProgramPartner]]:
        return DataLoader(
            lambda keys: partner_loaders.programs_of_partners(keys, self.program_by_id.prime_many),
            cache=self.cache,
        )

    @cached_property
    def session_by_id(self) -> DataLoader[int, ProgramSession | None]:
        return DataLoader(
            lambda keys: _by_id(SessionRow, SESSION_COLUMNS, ProgramSession.from_row, keys), cache=self.cache
        )

    @cached_property
    def agreement_by_id(self) -> DataLoader[int, Agreement | None]:
        return DataLoader(
            lambda keys: _by_id(AgreementRow, AGREEMENT_COLUMNS, Agreement.from_row, keys), cache=self.cache
        )

    @cached_property
    def supplement_by_id(self) -> DataLoader[int, SupplementaryAgreement | None]:
        build = SupplementaryAgreement.from_row
        return DataLoader(
            lambda keys: _by_id(SupplementRow, SUPPLEMENT_COLUMNS, build, keys), cache=self.cache
        )

    @cached_property
    def allocation_by_id(self) -> DataLoader[int, Allocation | None]:
        build = Allocation.from_row
        return DataLoader(
            lambda keys: _by_id(AllocationRow, ALLOCATION_COLUMNS, build, keys), cache=self.cache
        )

    @cached_property
    def supplements_by_agreement(self) -> DataLoader[int, list[SupplementaryAgreement]]:
        return DataLoader(self._supplements_by_agreement, cache=self.cache)

    @cached_property
    def allocations_by_supplement(self) -> DataLoader[int, list[Allocation]]:
        parent, build = "supplementary_agreement_id", Allocation.from_row
        return DataLoader(
            lambda keys: _children(AllocationRow, parent, "fiscal_year", ALLOCATION_COLUMNS, build, keys),
            cache=self.cache,
        )

    @cached_property
    def allocations_by_program(self) -> DataLoader[int, list[Allocation]]:
        build = Allocation.from_row
        return DataLoader(
            lambda keys: _children(
                AllocationRow, "program_id", "fiscal_year", ALLOCATION_COLUMNS, build, keys
            ),
            cache=self.cache,
        )

    @cached_property
    def shares_by_allocation(self) -> DataLoader[int, list[AllocationShare]]:
        return DataLoader(agreement_loaders.shares_of, cache=self.cache)

    @cached_property
    def budgeted_by_program_year(self) -> DataLoader[tuple[int, int], list[AllocationShare]]:
        return DataLoader(agreement_loaders.budgeted_of, cache=self.cache)

    def forget(self) -> None:
        """Let go of every row this request holds, once its answer is built.

        The context outlives the request in reference cycles (graphql-core's execution context,
        a DataLoader's bound batch function), so whatever it holds waits for a full garbage
        collection: a 25,000-line tree per request in flight, and the collector's time to walk it.
        """
        self.schools.clear()
        self.programs.clear()
        for name in LOADER_NAMES:
            loader = self.__dict__.pop(name, None)
            if loader is not None:
                loader.clear_all()

    def remember_schools(self, schools: Iterable[School]) -> None:
        if self.cache:  # a WebSocket's loaders live as long as it: they never keep rows
            self.schools.update((school.id, school) for school in schools)

    def remember_partners(self, partners: Iterable[Partner]) -> None:
        self.partner_by_id.prime_many({partner.id: partner for partner in partners})

    def remember_agreements(self, agreements: Iterable[Agreement]) -> None:
        self.agreement_by_id.prime_many({agreement.id: agreement for agreement in agreements})

    def remember_programs(self, programs: Iterable[Program]) -> None:
        if self.cache:
            self.programs.update((program.id, program) for program in programs)

    async def programs_of(self, school_ids: list[int], columns: Sequence[str]) -> list[list[Program]]:
        """The programs of each school in one batch, with only `columns` (`schema.prefetch`).

        Not kept in `programs_by_school`: a record missing columns may only be seen by the
        request whose document names none of their fields (`schema.prefetch.columns_for`).
        """
        return await self._programs_by_school(school_ids, columns)

    async def lines_of(self, program_ids: list[int], columns: Sequence[str]) -> list[list[BudgetLine]]:
        """The budget lines of each program in one batch, with only `columns` (see `programs_of`)."""
        return await _children(BudgetLineRow, "program_id", "id", columns, BudgetLine.from_row, program_ids)

    async def _programs_by_school(
        self, keys: list[int], columns: Sequence[str] = PROGRAM_COLUMNS
    ) -> list[list[Program]]:
        found = await _children(ProgramRow, "school_id", "code", columns, Program.from_row, keys)
        self.remember_programs(program for programs in found for program in programs)
        return found

    async def _supplements_by_agreement(self, keys: list[int]) -> list[list[SupplementaryAgreement]]:
        build = SupplementaryAgreement.from_row
        found = await _children(SupplementRow, "agreement_id", "code", SUPPLEMENT_COLUMNS, build, keys)
        # Allocations walk back up to them (`supplementaryCode`): no statement of their own.
        self.supplement_by_id.prime_many({s.id: s for supplements in found for s in supplements})
        return found

    async def _lines_by_program(self, keys: list[int]) -> list[list[BudgetLine]]:
        return await _children(
            BudgetLineRow, "program_id", "id", BUDGET_LINE_COLUMNS, BudgetLine.from_row, keys
        )
