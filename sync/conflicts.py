"""Resolving a sync conflict: keep the sheet's or the database's value, through the service layer."""

from __future__ import annotations

from datetime import UTC, datetime

from models.actor import Actor
from models.errors import ErrorCode, RecordNotFound, UserError, ValidationFailed
from models.services.write_scope import write_scope
from models.sync_state import SyncConflict
from sync.mapping import Side
from sync.records import KINDS


async def resolve_conflict(conflict_id: int, keep: str, actor: Actor) -> SyncConflict:
    """Apply the kept value (``"SHEET"`` or ``"DATABASE"``) and mark the conflict resolved.

    The value goes through the service layer, so it becomes a change event and the worker
    writes it to the sheet on its next cycle, where it also clears the cell's note.
    Raises RecordNotFound for an unknown conflict or record and ValidationFailed for a bad
    ``keep`` or a value the service layer refuses.
    """
    if keep not in (Side.SHEET, Side.DATABASE):
        raise ValidationFailed(
            [UserError("keep", "SHEET 또는 DATABASE 중 하나를 고르세요.", ErrorCode.INVALID)]
        )
    conflict = await SyncConflict.get_or_none(id=conflict_id)
    if conflict is None:
        raise RecordNotFound("SyncConflict", conflict_id)
    if conflict.resolved_at is not None:
        return conflict
    kind = KINDS[conflict.record_type]
    value = conflict.sheet_value if keep == Side.SHEET else conflict.database_value
    async with write_scope(actor) as scope:
        record = await kind.model.get_or_none(id=conflict.record_id)
        if record is None:
            raise RecordNotFound(str(conflict.record_type), conflict.record_id)
        await kind.service.update(scope, record, kind.to_service({conflict.field: value}))
        conflict.resolved_at = datetime.now(UTC)
        conflict.resolved_by = actor.label
        conflict.resolution = str(keep)
        await conflict.save(using_db=scope.connection)
    return conflict
