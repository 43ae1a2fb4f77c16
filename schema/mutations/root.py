# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""The root Mutation type: every write needs a staff or admin token.

The record families' mutations are built from their declarations (`schema.mutations.family`),
in this order: schools, programs, budget lines; then `conflictResolve`.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import Info

from schema.mutations import budget_lines, conflicts, programs, schools
from schema.mutations.family import WRITE, mutations


async def _conflict_resolve(
    info: Info,
    input: Annotated[
        conflicts.ConflictResolveInput, strawberry.argument(description="The conflict and the side.")
    ],
) -> conflicts.ConflictResolvePayload:
    return await conflicts.resolve(info, input)


def _fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for family in (schools.FAMILY, programs.FAMILY, budget_lines.FAMILY):
        fields.update(mutations(family))
    fields["conflict_resolve"] = strawberry.mutation(
        resolver=_conflict_resolve,
        description="Resolve a sync conflict by keeping the sheet's or the database's value.",
        permission_classes=WRITE,
    )
    return fields


Mutation: type[Any] = strawberry.type(
    type("Mutation", (), _fields()),
    description="Change schools, programs and budget lines; resolve sync conflicts.",
)
