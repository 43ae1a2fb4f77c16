"""Archive (tombstone) and restore: the only ways a record leaves or returns; nothing is hard-deleted."""

from __future__ import annotations

from datetime import UTC, datetime

from models.base import TimestampedRecord
from models.enums import ChangeAction, RecordType
from models.errors import ErrorCode, UserError, ValidationFailed
from models.services.write_scope import WriteScope


async def archive(scope: WriteScope, record: TimestampedRecord, record_type: RecordType) -> None:
    if record.archived_at is not None:
        raise ValidationFailed([UserError(None, "이미 보관(삭제) 처리된 항목입니다.", ErrorCode.ARCHIVED)])
    now = datetime.now(UTC)
    record.archived_at = now
    await record.save(using_db=scope.connection, update_fields=["archived_at", "updated_at"])
    await scope.record(record_type, record.pk, ChangeAction.ARCHIVE, {"archived_at": [None, now.isoformat()]})


async def restore(scope: WriteScope, record: TimestampedRecord, record_type: RecordType) -> None:
    if record.archived_at is None:
        return
    old = record.archived_at.isoformat()
    record.archived_at = None
    await record.save(using_db=scope.connection, update_fields=["archived_at", "updated_at"])
    await scope.record(record_type, record.pk, ChangeAction.RESTORE, {"archived_at": [old, None]})


def refuse_if_archived(record: TimestampedRecord) -> None:
    if record.archived_at is not None:
        raise ValidationFailed(
            [UserError(None, "보관(삭제)된 항목은 수정할 수 없습니다. 먼저 복원하세요.", ErrorCode.ARCHIVED)]
        )
