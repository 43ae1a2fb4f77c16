# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""The record types: School, Program and BudgetLine as Relay nodes, separate from ORM rows.

Data fields are plain attributes filled from `QuerySet.values()` rows (no per-field resolvers);
relations resolve through the request's DataLoaders, so each level of a nested query is one SQL
statement whatever the number of rows. Pages load the children their query selects along with
them (`schema.prefetch`), and then `programs` and `budgetLines` resolve synchronously.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, TypeVar

import strawberry
from strawberry import Info, relay

from models import budget_figures
from models.enums import BudgetStage, Funder, ProgramCategory, ProgramStatus, SchoolLevel
from schema.awaiting import pending
from schema.permissions import CanReadRestricted, require_restricted_read
from schema.scalars import Won

if TYPE_CHECKING:
    from schema.agreement_records import Allocation
    from schema.partner_records import ProgramPartner

SCHOOL_COLUMNS = (
    "id",
    "code",
    "name",
    "level",
    "district",
    "students",
    "created_at",
    "updated_at",
    "archived_at",
)
PROGRAM_COLUMNS = (
    "id",
    "code",
    "name",
    "category",
    "school_id",
    "fiscal_year",
    "status",
    "description",
    "created_at",
    "updated_at",
    "archived_at",
)
R = TypeVar("R")
BUDGET_LINE_COLUMNS = (
    "id",
    "program_id",
    "fiscal_year",
    "funder",
    "allocated",
    "executed",
    "stage",
    "disbursed",
    "carried_in",
    "carried_out",
    "unused",
    "note",
    "created_at",
    "updated_at",
    "archived_at",
)


def filled(cls: type[R], row: Mapping[str, Any]) -> R:
    """An instance holding `row`'s columns as its fields, without the dataclass `__init__`.

    Keyword arguments for ten fields were the largest single cost of a 2,500-line answer. A row
    carries every field without a default (the *_COLUMNS lists); the others (`loaded_*`) keep
    their class defaults, which are immutable (None). A plain dict row becomes the instance's
    own `__dict__` (rows are built for one record each), so 25,000 lines are not held twice.
    """
    record = object.__new__(cls)
    record.__dict__ = row if type(row) is dict else dict(row)
    return record


class RecordNode:
    """What the record types share: built from a `.values()` row of their columns (`from_row`),
    found by id through the request's DataLoader `node_loader`, behind a token if `restricted`."""

    node_loader: ClassVar[str]
    restricted: ClassVar[bool] = False

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        """Build from a `Model.filter(...).values(*COLUMNS)` row (`SCHOOL_COLUMNS`, ...)."""
        return filled(cls, row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        if cls.restricted:
            require_restricted_read(info)
        loader = getattr(info.context.loaders, cls.node_loader)
        found: list[Self | None] = await loader.load_many([int(i) for i in node_ids])
        return found


@strawberry.interface(description="A record kept in the database and synced with the shared sheet.")
class Record:
    created_at: datetime = strawberry.field(description="When the record was created (UTC).")
    updated_at: datetime = strawberry.field(description="When the record last changed (UTC).")
    archived_at: datetime | None = strawberry.field(
        description="When the record was archived (soft-deleted); null while it is live."
    )


@strawberry.type(description="A school taking part in Hanam's education programs (학교).")
class School(RecordNode, relay.Node, Record):  # type: ignore[misc]  # resolve_nodes: RecordNode's
    id: relay.NodeID[int]
    code: str = strawberry.field(description="NEIS-style school code (학교코드), unique.")
    name: str = strawberry.field(description="School name in Korean (학교명).")
    level: SchoolLevel = strawberry.field(description="School level (학교급).")
    district: str = strawberry.field(description="District of Hanam (권역), e.g. 미사.")
    students: int = strawberry.field(description="Number of students enrolled (학생수).")
    node_loader = "school_by_id"
    # Set when the page this school came in loaded its programs too (`schema.prefetch`).
    loaded_programs: strawberry.Private[list[Program] | None] = None

    @strawberry.field(description="Live (not archived) programs run at this school, by code.")
    def programs(self, info: Info) -> list[Program]:
        if self.loaded_programs is not None:
            return self.loaded_programs
        programs: list[Program] = pending(info.context.loaders.programs_by_school.load(self.id))
        return programs


@strawberry.type(
    description="An education program under the Hanam agreement, city-wide or at one school (사업)."
)
class Program(RecordNode, relay.Node, Record):  # type: ignore[misc]  # resolve_nodes: RecordNode's
    node_loader = "program_by_id"
    id: relay.NodeID[int]
    school_id: strawberry.Private[int | None]  # `school` and `schoolCode` resolve it
    code: str = strawberry.field(description="Program code (사업코드), unique.")
    name: str = strawberry.field(description="Program name in Korean (사업명).")
    category: ProgramCategory = strawberry.field(description="Program type (유형).")
    fiscal_year: int = strawberry.field(description="Fiscal year the program runs in (연도).")
    status: ProgramStatus = strawberry.field(description="Where the program stands (상태).")
    description: str = strawberry.field(description="Free description (설명).")
    # Set when the page this program came in loaded its budget lines too (`schema.prefetch`).
    loaded_lines: strawberry.Private[list[BudgetLine] | None] = None

    @strawberry.field(description="The school it runs at; null for city-wide programs (학교코드 blank).")
    def school(self, info: Info) -> School | None:
        if self.school_id is None:
            return None
        known: School | None = info.context.loaders.schools.get(self.school_id)
        if known is not None:
            return known
        school: School | None = pending(info.context.loaders.school_by_id.load(self.school_id))
        return school

    @strawberry.field(description="The school's code, or null for a city-wide program.")
    def school_code(self, info: Info) -> str | None:
        if self.school_id is None:
            return None
        known: School | None = info.context.loaders.schools.get(self.school_id)
        if known is not None:
            return known.code
        return pending(self._school_code(info))

    async def _school_code(self, info: Info) -> str | None:
        school: School | None = await info.context.loaders.school_by_id.load(self.school_id)
        return None if school is None else school.code

    @strawberry.field(description="Live partners (교육자원) taking part, by partner code, with their roles.")
    async def partners(
        self, info: Info
    ) -> list[Annotated[ProgramPartner, strawberry.lazy("schema.partner_records")]]:
        result: list[ProgramPartner] = await info.context.loaders.partners_by_program.load(self.id)
        return result

    @strawberry.field(
        description="Live allocations supplementary agreements fixed for it (실무 협약 배정), by fiscal "
        "year. Needs a token (partner, staff, admin).",
        permission_classes=[CanReadRestricted],
    )
    async def allocations(
        self, info: Info
    ) -> list[Annotated[Allocation, strawberry.lazy("schema.agreement_records")]] | None:
        found: list[Allocation] = await info.context.loaders.allocations_by_program.load(self.id)
        return found

    @strawberry.field(
        description="Live budget lines of this program, by id. Needs a token (partner, staff, admin).",
        permission_classes=[CanReadRestricted],
    )
    def budget_lines(self, info: Info) -> list[BudgetLine] | None:
        if self.loaded_lines is not None:
            return self.loaded_lines
        lines: list[BudgetLine] = pending(info.context.loaders.lines_by_program.load(self.id))
        return lines


@strawberry.type(
    description="Money one funder allocated to a program in one fiscal year, and what was spent (예산)."
)
class BudgetLine(RecordNode, relay.Node, Record):  # type: ignore[misc]  # resolve_nodes: RecordNode's
    node_loader, restricted = "line_by_id", True  # budget lines need a token
    id: relay.NodeID[int]
    program_id: strawberry.Private[int]  # `program` resolves it
    fiscal_year: int = strawberry.field(description="Fiscal year (연도).")
    funder: Funder = strawberry.field(description="Who pays (재원).")
    allocated: Won = strawberry.field(description="Allocated amount (배정액) in whole won.")
    executed: Won = strawberry.field(
        description="Executed amount (집행액) in whole won, never above budgetCurrent (예산현액)."
    )
    stage: BudgetStage = strawberry.field(description="Budget stage (단계): 계획, 확정, 교부, 집행, 정산.")
    disbursed: Won = strawberry.field(
        description="Disbursed to the school or operator (교부액) in whole won, never above budgetCurrent."
    )
    carried_in: Won = strawberry.field(
        description="Carried over from the previous year (전년도 이월액), whole won."
    )
    carried_out: Won = strawberry.field(
        description="Carried over into next year (이월액), whole won, at most budgetCurrent - executed."
    )
    unused: Won = strawberry.field(
        description="Unused (불용액) = budgetCurrent - executed - carriedOut, set when the line is settled."
    )
    note: str = strawberry.field(description="Free note (비고).")

    @strawberry.field(description="Budget current (예산현액) = allocated + carriedIn, in whole won.")
    def budget_current(self) -> Won:
        return Won(budget_figures.budget_current(self.allocated, self.carried_in))

    @strawberry.field(
        description="Execution rate (집행률) = executed / budgetCurrent (0.0 to 1.0); null when the "
        "budget current is 0. Before carry-over (carriedIn 0) this is executed / allocated."
    )
    def execution_rate(self) -> float | None:
        return budget_figures.execution_rate(self.executed, self.allocated, self.carried_in)

    @strawberry.field(description="The program this line funds.")
    def program(self, info: Info) -> Program:
        known: Program | None = info.context.loaders.programs.get(self.program_id)
        if known is not None:
            return known
        return pending(self._program(info))

    async def _program(self, info: Info) -> Program:
        program: Program | None = await info.context.loaders.program_by_id.load(self.program_id)
        assert program is not None  # a foreign key with ON DELETE RESTRICT: the row exists
        return program
