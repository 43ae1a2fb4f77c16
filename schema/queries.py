# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""The root Query: records with filters, ordering and pagination, figures, history and sync state."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import Info, relay

from models.budget_line import BudgetLine as BudgetLineRow
from models.program import Program as ProgramRow
from models.school import School as SchoolRow
from models.sync_state import SyncConflict as SyncConflictRow
from models.sync_state import SyncIssue as SyncIssueRow
from schema import prefetch
from schema.batch_rows import rows_where_in
from schema.bounds import check_length, row_id
from schema.budget_summary import BudgetGroup, compute_budget_summary
from schema.enums import BudgetDimension
from schema.errors import ClientError
from schema.filters import (
    BudgetFilter,
    ProgramFilter,
    SchoolFilter,
    budget_conditions,
    program_conditions,
    school_conditions,
)
from schema.history import ChangeEvent, history
from schema.ordering import BudgetLineOrder, ProgramOrder, SchoolOrder, order_terms
from schema.pagination import Connection, paginate
from schema.permissions import CanReadRestricted
from schema.records import (
    BUDGET_LINE_COLUMNS,
    PROGRAM_COLUMNS,
    SCHOOL_COLUMNS,
    BudgetLine,
    Program,
    School,
)
from schema.sync_views import (
    CONFLICT_COLUMNS,
    ISSUE_COLUMNS,
    SyncConflict,
    SyncIssue,
    SyncStatus,
    sync_status,
)

NODE_TYPES: dict[str, type[Any]] = {
    "School": School,
    "Program": Program,
    "BudgetLine": BudgetLine,
    "SyncIssue": SyncIssue,
    "SyncConflict": SyncConflict,
}

First = Annotated[
    int | None, strawberry.argument(description="Page size (default 20, at most the server's cap, 100).")
]
After = Annotated[str | None, strawberry.argument(description="Return records after this cursor.")]
IncludeResolved = Annotated[bool, strawberry.argument(description="Also return resolved ones.")]


def _page_limits(info: Info) -> dict[str, int]:
    settings = info.context.settings
    return {"default": settings.default_page_size, "maximum": settings.max_page_size}


async def resolve_node(info: Info, global_id: relay.GlobalID) -> relay.Node | None:
    """`node(id:)`: the record behind any global id, under the same read rules as the lists."""
    node_type = NODE_TYPES.get(global_id.type_name)
    pk = row_id(global_id.node_id)
    if node_type is None or pk is None:
        raise ClientError(f"`{global_id}` is not an id this API issued.")
    found: list[relay.Node | None] = await node_type.resolve_nodes(info=info, node_ids=[str(pk)])
    return found[0]


@strawberry.type(description="Read Hanam's education programs, schools and budgets.")
class Query:
    @strawberry.field(
        description="Any record by its global id (School, Program, BudgetLine, SyncIssue, ...)."
    )
    async def node(
        self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="A global id.")]
    ) -> relay.Node | None:
        return await resolve_node(info, id)

    @strawberry.field(description="Schools, filtered and ordered (default: by code), one page at a time.")
    async def schools(
        self,
        info: Info,
        filter: Annotated[SchoolFilter | None, strawberry.argument(description="Which schools.")] = None,
        order_by: Annotated[
            list[SchoolOrder] | None, strawberry.argument(description="Ordering keys, first wins.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[School]:
        page = await paginate(
            SchoolRow.filter(**school_conditions(filter)),
            order=order_terms(order_by, "code"),
            columns=SCHOOL_COLUMNS,
            build=School.from_row,
            first=first,
            after=after,
            **_page_limits(info),
        )
        info.context.loaders.remember_schools(page.nodes())
        await prefetch.school_children(info, page.nodes(), prefetch.connection_records(info))
        return page

    @strawberry.field(description="Programs, filtered and ordered (default: by code), one page at a time.")
    async def programs(
        self,
        info: Info,
        filter: Annotated[ProgramFilter | None, strawberry.argument(description="Which programs.")] = None,
        order_by: Annotated[
            list[ProgramOrder] | None, strawberry.argument(description="Ordering keys, first wins.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Program]:
        page = await paginate(
            ProgramRow.filter(**program_conditions(filter)),
            order=order_terms(order_by, "code"),
            columns=PROGRAM_COLUMNS,
            build=Program.from_row,
            first=first,
            after=after,
            **_page_limits(info),
        )
        info.context.loaders.remember_programs(page.nodes())
        await prefetch.program_children(info, page.nodes(), prefetch.connection_records(info))
        return page

    @strawberry.field(
        description="Live budget lines, filtered and ordered (default: by id). Needs a token.",
        permission_classes=[CanReadRestricted],
    )
    async def budget_lines(
        self,
        info: Info,
        filter: Annotated[BudgetFilter | None, strawberry.argument(description="Which budget lines.")] = None,
        order_by: Annotated[
            list[BudgetLineOrder] | None, strawberry.argument(description="Ordering keys, first wins.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[BudgetLine] | None:
        return await paginate(
            BudgetLineRow.filter(**budget_conditions(filter)),
            order=order_terms(order_by, "id"),
            columns=BUDGET_LINE_COLUMNS,
            build=BudgetLine.from_row,
            first=first,
            after=after,
            **_page_limits(info),
        )

    @strawberry.field(description="The school with this code (archived ones too: see `archivedAt`).")
    async def school(
        self, info: Info, code: Annotated[str, strawberry.argument(description="School code (학교코드).")]
    ) -> School | None:
        check_length(code, model=SchoolRow, column="code", argument="code")
        rows = await rows_where_in(SchoolRow, SCHOOL_COLUMNS, "code", [code], order="id", live_only=False)
        if not rows:
            return None
        school = School.from_row(rows[0])
        await prefetch.school_children(info, [school], prefetch.field_records(info))
        return school

    @strawberry.field(description="The program with this code (archived ones too: see `archivedAt`).")
    async def program(
        self, code: Annotated[str, strawberry.argument(description="Program code (사업코드).")]
    ) -> Program | None:
        check_length(code, model=ProgramRow, column="code", argument="code")
        rows = await rows_where_in(ProgramRow, PROGRAM_COLUMNS, "code", [code], order="id", live_only=False)
        return Program.from_row(rows[0]) if rows else None

    @strawberry.field(
        description="Allocated and executed sums grouped by the given dimensions (none: one grand total). "
        "Archived records never count. Open to everyone: these are aggregate figures. "
        "Every sum is an exact `Won` (at most 2^53 - 1): writes that would raise the total allocated "
        "over all budget lines, archived ones included, above that are refused."
    )
    async def budget_summary(
        self,
        group_by: Annotated[
            list[BudgetDimension], strawberry.argument(description="Dimensions to group by, in order.")
        ],
        filter: Annotated[
            BudgetFilter | None, strawberry.argument(description="Which budget lines to sum.")
        ] = None,
    ) -> list[BudgetGroup]:
        return await compute_budget_summary(group_by, filter)

    @strawberry.field(
        description="Changes to one record, newest first: who (token, sheet sync, system), "
        "which fields, from what to what, and when. Needs a token.",
        permission_classes=[CanReadRestricted],
    )
    async def history(
        self,
        info: Info,
        record_id: Annotated[
            relay.GlobalID, strawberry.argument(description="Global id of a school, program or budget line.")
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[ChangeEvent] | None:
        return await history(record_id, first=first, after=after, **_page_limits(info))

    @strawberry.field(
        description="How live the figures are: last sync, lag, conflicts, open issues. Public "
        "(the error text needs a token)."
    )
    async def sync_status(self) -> SyncStatus | None:
        return await sync_status()

    @strawberry.field(
        description="Problems the sync found in the sheet, newest first. Needs a token.",
        permission_classes=[CanReadRestricted],
    )
    async def sync_issues(
        self, info: Info, include_resolved: IncludeResolved = False, first: First = None, after: After = None
    ) -> Connection[SyncIssue] | None:
        query = SyncIssueRow.all() if include_resolved else SyncIssueRow.filter(resolved_at__isnull=True)
        return await paginate(
            query,
            order=["-id"],
            columns=ISSUE_COLUMNS,
            build=SyncIssue.from_row,
            first=first,
            after=after,
            **_page_limits(info),
        )

    @strawberry.field(
        description="Sync conflicts (both sides changed a field), newest first. Needs a token.",
        permission_classes=[CanReadRestricted],
    )
    async def conflicts(
        self, info: Info, include_resolved: IncludeResolved = False, first: First = None, after: After = None
    ) -> Connection[SyncConflict] | None:
        query = (
            SyncConflictRow.all() if include_resolved else SyncConflictRow.filter(resolved_at__isnull=True)
        )
        return await paginate(
            query,
            order=["-id"],
            columns=CONFLICT_COLUMNS,
            build=SyncConflict.from_row,
            first=first,
            after=after,
            **_page_limits(info),
        )
