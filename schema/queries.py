# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""The root Query: records with filters, ordering and pagination, figures, history and sync state."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import Info, relay

from models.agreement import Agreement as AgreementRow
from models.allocation import Allocation as AllocationRow
from models.budget_line import BudgetLine as BudgetLineRow
from models.partner import Partner as PartnerRow
from models.program import Program as ProgramRow
from models.program_session import ProgramSession as SessionRow
from models.school import School as SchoolRow
from models.supplementary_agreement import SupplementaryAgreement as SupplementRow
from models.sync_state import SyncConflict as SyncConflictRow
from models.sync_state import SyncIssue as SyncIssueRow
from schema import prefetch
from schema.activity_summary import ActivityGroup, compute_activity_summary
from schema.agreement_filters import (
    AgreementFilter,
    AllocationFilter,
    SupplementaryAgreementFilter,
    agreement_conditions,
    allocation_conditions,
    supplement_conditions,
)
from schema.agreement_records import (
    AGREEMENT_COLUMNS,
    ALLOCATION_COLUMNS,
    SUPPLEMENT_COLUMNS,
    Agreement,
    Allocation,
    SupplementaryAgreement,
)
from schema.bounds import row_id
from schema.budget_summary import BudgetGroup, compute_budget_summary
from schema.enums import ActivityDimension, BudgetDimension
from schema.errors import ClientError
from schema.filters import (
    BudgetFilter,
    PartnerFilter,
    ProgramFilter,
    SchoolFilter,
    budget_conditions,
    partner_conditions,
    program_conditions,
    school_conditions,
)
from schema.history import ChangeEvent, history
from schema.listings import After, First, Listing, by_code, connection, page_limits
from schema.loaders import Loaders
from schema.ordering import (
    AgreementOrder,
    AllocationOrder,
    BudgetLineOrder,
    PartnerOrder,
    ProgramOrder,
    ProgramSessionOrder,
    SchoolOrder,
    SupplementaryAgreementOrder,
)
from schema.pagination import Connection, paginate
from schema.partner_records import PARTNER_COLUMNS, Partner
from schema.permissions import CanReadRestricted
from schema.records import (
    BUDGET_LINE_COLUMNS,
    PROGRAM_COLUMNS,
    SCHOOL_COLUMNS,
    BudgetLine,
    Program,
    School,
)
from schema.session_filters import ProgramSessionFilter, session_conditions
from schema.session_records import SESSION_COLUMNS, ProgramSession
from schema.sync_views import (
    CONFLICT_COLUMNS,
    ISSUE_COLUMNS,
    SyncConflict,
    SyncIssue,
    SyncStatus,
    sync_status,
)

SCHOOLS = Listing(SchoolRow, School, SCHOOL_COLUMNS, SchoolFilter, school_conditions, SchoolOrder, "code")
PROGRAMS = Listing(
    ProgramRow, Program, PROGRAM_COLUMNS, ProgramFilter, program_conditions, ProgramOrder, "code"
)
BUDGET_LINES = Listing(
    BudgetLineRow, BudgetLine, BUDGET_LINE_COLUMNS, BudgetFilter, budget_conditions, BudgetLineOrder, "id"
)
PARTNERS = Listing(
    PartnerRow, Partner, PARTNER_COLUMNS, PartnerFilter, partner_conditions, PartnerOrder, "code"
)

PROGRAM_SESSIONS = Listing(
    SessionRow,
    ProgramSession,
    SESSION_COLUMNS,
    ProgramSessionFilter,
    session_conditions,
    ProgramSessionOrder,
    "held_on",
)

AGREEMENTS = Listing(
    AgreementRow, Agreement, AGREEMENT_COLUMNS, AgreementFilter, agreement_conditions, AgreementOrder, "code"
)
SUPPLEMENTARY_AGREEMENTS = Listing(
    SupplementRow,
    SupplementaryAgreement,
    SUPPLEMENT_COLUMNS,
    SupplementaryAgreementFilter,
    supplement_conditions,
    SupplementaryAgreementOrder,
    "code",
)
ALLOCATIONS = Listing(
    AllocationRow,
    Allocation,
    ALLOCATION_COLUMNS,
    AllocationFilter,
    allocation_conditions,
    AllocationOrder,
    "fiscal_year",
)

NODE_TYPES: dict[str, type[Any]] = {
    "School": School,
    "Program": Program,
    "BudgetLine": BudgetLine,
    "Partner": Partner,
    "ProgramSession": ProgramSession,
    "Agreement": Agreement,
    "SupplementaryAgreement": SupplementaryAgreement,
    "Allocation": Allocation,
    "SyncIssue": SyncIssue,
    "SyncConflict": SyncConflict,
}

IncludeResolved = Annotated[bool, strawberry.argument(description="Also return resolved ones.")]


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

    schools = connection(SCHOOLS, remember=Loaders.remember_schools, children=prefetch.school_children)
    programs = connection(PROGRAMS, remember=Loaders.remember_programs, children=prefetch.program_children)
    budget_lines = connection(BUDGET_LINES, restricted=True)
    school = by_code(SCHOOLS, "School code (학교코드).", children=prefetch.school_children)
    program = by_code(PROGRAMS, "Program code (사업코드).")
    partners = connection(PARTNERS, remember=Loaders.remember_partners)
    partner = by_code(PARTNERS, "Partner code (기관코드).")
    program_sessions = connection(PROGRAM_SESSIONS, restricted=True)
    agreements = connection(AGREEMENTS, remember=Loaders.remember_agreements)
    agreement = by_code(AGREEMENTS, "Agreement code (협약코드).")
    supplementary_agreements = connection(SUPPLEMENTARY_AGREEMENTS)
    supplementary_agreement = by_code(
        SUPPLEMENTARY_AGREEMENTS, "Supplementary agreement code (실무협약코드)."
    )
    allocations = connection(ALLOCATIONS, restricted=True)

    @strawberry.field(
        description="What programs achieved (운영 실적), grouped like `budgetSummary` (every dimension "
        "but FUNDER, as `ActivityDimension`): sessions, participants in all and by school level, "
        "hours, the groups' executed won and won per participant. Archived sessions and programs "
        "never count. Open to everyone: these are aggregate counts, and no student is ever named."
    )
    async def activity_summary(
        self,
        group_by: Annotated[
            list[ActivityDimension], strawberry.argument(description="Dimensions to group by, in order.")
        ],
        filter: Annotated[
            ProgramSessionFilter | None, strawberry.argument(description="Which sessions to sum.")
        ] = None,
    ) -> list[ActivityGroup]:
        return await compute_activity_summary(group_by, filter)

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
        return await history(record_id, first=first, after=after, **page_limits(info))

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
            **page_limits(info),
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
            **page_limits(info),
        )
