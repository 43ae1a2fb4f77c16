# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""The root Mutation type: every write needs a staff or admin token.

The record families' mutations are built from their declarations (`schema.mutations.family`),
in this order: schools, programs, budget lines, partners, program sessions, agreements,
supplementary agreements; then allocations, the program-partner links and `conflictResolve`.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import Info

from schema.mutations import (
    agreements,
    allocations,
    budget_carry,
    budget_lines,
    conflicts,
    cycle_revert,
    partners,
    program_partners,
    program_sessions,
    programs,
    schools,
)
from schema.mutations.family import WRITE, mutations
from schema.permissions import CanAdmin


async def _conflict_resolve(
    info: Info,
    input: Annotated[
        conflicts.ConflictResolveInput, strawberry.argument(description="The conflict and the side.")
    ],
) -> conflicts.ConflictResolvePayload:
    return await conflicts.resolve(info, input)


async def _sync_cycle_revert(
    info: Info,
    input: Annotated[
        cycle_revert.SyncCycleRevertInput, strawberry.argument(description="The cycle and dry run.")
    ],
) -> cycle_revert.SyncCycleRevertPayload:
    return await cycle_revert.revert(info, input)


def _fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for family in (
        schools.FAMILY,
        programs.FAMILY,
        budget_lines.FAMILY,
        partners.FAMILY,
        program_sessions.FAMILY,
        agreements.AGREEMENT_FAMILY,
        agreements.SUPPLEMENT_FAMILY,
    ):
        fields.update(mutations(family))
    fields["budget_line_carry_over"] = strawberry.mutation(
        resolver=budget_carry.carry,
        description="Settle a budget line at year end (정산): carry an amount of its unspent rest into the "
        "same program and funder's line of next year (created if none), the rest becomes unused (불용).",
        permission_classes=WRITE,
    )
    fields["fiscal_year_close"] = strawberry.mutation(
        resolver=budget_carry.close,
        description="Close a fiscal year (연도 마감): settle every live line not yet settled, carrying "
        "each line's carriedOut into next year; a year is closed once. Admin only.",
        permission_classes=[CanAdmin],
    )
    fields["allocation_set"] = strawberry.mutation(
        resolver=allocations.set_allocation,
        description="Set one program's allocation for one fiscal year in a supplementary agreement: "
        "the total and every funder's share at once (created, or replacing the live one).",
        permission_classes=WRITE,
    )
    fields["allocation_archive"] = strawberry.mutation(
        resolver=allocations.archive_allocation,
        description="Archive (soft-delete) an allocation; its history stays.",
        permission_classes=WRITE,
    )
    fields["allocation_restore"] = strawberry.mutation(
        resolver=allocations.restore_allocation,
        description="Bring an archived allocation back, unless a live one holds its key.",
        permission_classes=WRITE,
    )
    fields["program_partner_set"] = strawberry.mutation(
        resolver=program_partners.set_link,
        description="Link a partner to a program in a role, or change its role there.",
        permission_classes=WRITE,
    )
    fields["program_partner_remove"] = strawberry.mutation(
        resolver=program_partners.remove_link,
        description="Take a partner off a program (the partner's history keeps the link).",
        permission_classes=WRITE,
    )
    fields["conflict_resolve"] = strawberry.mutation(
        resolver=_conflict_resolve,
        description="Resolve a sync conflict by keeping the sheet's or the database's value.",
        permission_classes=WRITE,
    )
    fields["sync_cycle_revert"] = strawberry.mutation(
        resolver=_sync_cycle_revert,
        description="Put back every value one sync cycle changed, on both sides, as new audited "
        "changes; later edits of the same fields are kept and reported as conflicts. Admin only.",
        permission_classes=[CanAdmin],
    )
    return fields


Mutation: type[Any] = strawberry.type(
    type("Mutation", (), _fields()),
    description="Change schools, programs, budget lines, partners, program sessions, agreements "
    "and their allocations; resolve sync conflicts.",
)
