"""Archive (tombstone) and restore: the only ways a record leaves or returns; nothing is hard-deleted.

Both re-read the record under a row lock first, so the guard (e.g. "no live program uses this
school") and the event's old value see the committed row, not the caller's copy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from models.base import TimestampedRecord
from models.enums import ChangeAction, RecordType
from models.errors import ErrorCode, UserError, ValidationFailed
from models.services import locking, validation
from models.services.write_scope import WriteScope

R = TypeVar("R", bound=TimestampedRecord)
# Runs on the fresh, locked row before the write; any errors refuse it.
Guard = Callable[[WriteScope, R], Awaitable[list[UserError]]]


async def archive(
    scope: WriteScope, record: R, record_type: RecordType, *, guard: Guard[R] | None = None
) -> R:
    """Archive the record `record` names (only its id is read); returns the fresh, archived row."""
    current = await locking.require_locked(scope, type(record), record.pk)
    if current.archived_at is not None:
        raise ValidationFailed([UserError(None, "이미 보관(삭제) 처리된 항목입니다.", ErrorCode.ARCHIVED)])
    if guard is not None:
        validation.raise_if_any(await guard(scope, current))
    now = datetime.now(UTC)
    current.archived_at = now
    await current.save(using_db=scope.connection, update_fields=["archived_at", "updated_at"])
    await scope.record(
        record_type, current.pk, ChangeAction.ARCHIVE, {"archived_at": [None, now.isoformat()]}
    )
    return current


async def restore(
    scope: WriteScope, record: R, record_type: RecordType, *, guard: Guard[R] | None = None
) -> R:
    """Restore the record `record` names; a live record is returned as it is (no event)."""
    current = await locking.require_locked(scope, type(record), record.pk)
    if current.archived_at is None:
        return current
    if guard is not None:
        validation.raise_if_any(await guard(scope, current))
    old = current.archived_at.isoformat()
    current.archived_at = None
    await current.save(using_db=scope.connection, update_fields=["archived_at", "updated_at"])
    await scope.record(record_type, current.pk, ChangeAction.RESTORE, {"archived_at": [old, None]})
    return current


def refuse_if_archived(record: TimestampedRecord) -> None:
    if record.archived_at is not None:
        raise ValidationFailed(
            [UserError(None, "보관(삭제)된 항목은 수정할 수 없습니다. 먼저 복원하세요.", ErrorCode.ARCHIVED)]
        )
