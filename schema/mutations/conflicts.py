"""conflictResolve: keep the sheet's or the database's value of a sync conflict."""

from __future__ import annotations

import strawberry
from strawberry import Info, relay

from models.actor import Actor
from models.errors import RecordNotFound, ValidationFailed
from models.sync_state import SyncConflict as SyncConflictRow
from schema.enums import ConflictSide
from schema.mutations.common import Refused, UserError, node_pk, not_found, row_values
from schema.sync_views import CONFLICT_COLUMNS, SyncConflict


@strawberry.input(description="The conflict to resolve and the side to keep.")
class ConflictResolveInput:
    id: relay.GlobalID = strawberry.field(description="Global id of the conflict (from `conflicts`).")
    keep: ConflictSide = strawberry.field(description="Whose value wins from now on.")


@strawberry.type(description="The result of resolving a conflict.")
class ConflictResolvePayload:
    conflict: SyncConflict | None = strawberry.field(
        description="The conflict, now resolved; null if refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


async def resolve(info: Info, values: ConflictResolveInput) -> ConflictResolvePayload:
    # The sync owns the resolution (it rewrites the record and the sheet); the app hands it in.
    actor: Actor = info.context.viewer
    try:
        conflict_id = node_pk(values.id, "SyncConflict")
        row: SyncConflictRow = await info.context.resolve_conflict(
            conflict_id=conflict_id, keep=str(values.keep), actor=actor
        )
    except Refused as refused:
        return ConflictResolvePayload(conflict=None, user_errors=refused.errors)
    except ValidationFailed as failure:
        return ConflictResolvePayload(
            conflict=None, user_errors=[UserError.from_model(e) for e in failure.errors]
        )
    except RecordNotFound:
        return ConflictResolvePayload(conflict=None, user_errors=[not_found("id", "SyncConflict")])
    return ConflictResolvePayload(
        conflict=SyncConflict.from_row(row_values(row, CONFLICT_COLUMNS)), user_errors=[]
    )
