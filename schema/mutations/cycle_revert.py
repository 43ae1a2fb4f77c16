"""syncCycleRevert: put back every value one sync cycle changed, as new audited changes (admin)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import Info, relay
from strawberry.scalars import JSON

from models.actor import Actor
from models.enums import RecordType
from models.errors import ValidationFailed
from models.services import cycle_revert
from schema.history import camel_case
from schema.mutations.common import UserError


@strawberry.input(description="The cycle to revert, and whether only to say what would happen.")
class SyncCycleRevertInput:
    cycle_id: int = strawberry.field(description="The cycle's number (`syncStatus.recentCycles`).")
    dry_run: bool = strawberry.field(default=False, description="Say what would change; write nothing.")


@strawberry.type(description="One value the revert put back (or would put back, in a dry run).")
class RevertedChange:
    record_type: RecordType = strawberry.field(description="The kind of record.")
    record_id: relay.GlobalID = strawberry.field(description="Global id of the record.")
    field: str = strawberry.field(
        description="The field, as named in this API; `archived` for a record created or archived."
    )
    value_now: JSON | None = strawberry.field(description="The value before the revert.")
    value_back: JSON | None = strawberry.field(description="The value the revert puts back.")


@strawberry.type(description="A value the revert held back: changed again after the cycle, or refused.")
class RevertConflict:
    record_type: RecordType = strawberry.field(description="The kind of record.")
    record_id: relay.GlobalID = strawberry.field(description="Global id of the record.")
    field: str = strawberry.field(description="The field held back, as named in this API.")
    value_now: JSON | None = strawberry.field(description="The value it keeps.")
    value_back: JSON | None = strawberry.field(description="The value the revert would have put back.")
    reason: str = strawberry.field(description="Why it was held back, in Korean.")


@strawberry.type(description="What reverting a sync cycle did (or would do, in a dry run).")
class SyncCycleRevertPayload:
    cycle_id: int | None = strawberry.field(description="The cycle; null if refused.")
    dry_run: bool = strawberry.field(description="True when nothing was written.")
    restored: list[RevertedChange] = strawberry.field(description="Every value put back.")
    conflicts: list[RevertConflict] = strawberry.field(description="Every value held back, and why.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


async def revert(info: Info, values: SyncCycleRevertInput) -> SyncCycleRevertPayload:
    actor: Actor = info.context.viewer
    try:
        result = await cycle_revert.revert(values.cycle_id, actor=actor, dry_run=values.dry_run)
    except ValidationFailed as failure:
        return SyncCycleRevertPayload(
            cycle_id=None,
            dry_run=values.dry_run,
            restored=[],
            conflicts=[],
            user_errors=[UserError.from_model(e) for e in failure.errors],
        )
    return SyncCycleRevertPayload(
        cycle_id=result.cycle_id,
        dry_run=result.dry_run,
        restored=[RevertedChange(**_common(r)) for r in result.restored],
        conflicts=[RevertConflict(**_common(c), reason=c.reason) for c in result.conflicts],
        user_errors=[],
    )


def _common(entry: cycle_revert.Restored | cycle_revert.Conflict) -> dict[str, Any]:
    return {
        "record_type": entry.record_type,
        "record_id": relay.GlobalID(str(entry.record_type), str(entry.record_id)),
        "field": camel_case(entry.field),
        "value_now": entry.value_now,
        "value_back": entry.value_back,
    }
