"""The outbox reader: touched records after the cursor, and late commits below it (PostgreSQL)."""

from __future__ import annotations

from models.change_event import ChangeEvent
from models.enums import ActorKind, ChangeAction, RecordType
from sync import outbox_reader


async def _event(event_id: int, record_id: int, actor: ActorKind = ActorKind.API_TOKEN) -> None:
    await ChangeEvent.create(
        id=event_id,
        record_type=RecordType.SCHOOL,
        record_id=record_id,
        action=ChangeAction.UPDATE,
        changes={},
        actor_kind=actor,
        actor_name="t",
    )


async def test_reads_touched_records_after_the_cursor(db: str) -> None:
    await _event(1, 10)
    await _event(2, 11, ActorKind.SHEET_SYNC)
    batch = await outbox_reader.read(0)
    assert batch.touched[RecordType.SCHOOL] == {10, 11}
    assert (batch.last_event_id, batch.foreign, batch.gaps) == (2, 1, {})
    assert not await outbox_reader.has_foreign_events(1)  # only the sync's own event is newer


async def test_an_event_committed_late_below_the_cursor_is_still_read(db: str) -> None:
    await _event(1, 10)
    await _event(3, 12)  # id 2 was taken by a transaction that has not committed yet
    batch = await outbox_reader.read(0)
    assert batch.last_event_id == 3 and set(batch.gaps) == {"2"}
    assert not await outbox_reader.has_foreign_events(3, batch.gaps)
    await _event(2, 11)  # ... and now it commits
    assert await outbox_reader.has_foreign_events(3, batch.gaps)
    later = await outbox_reader.read(3, batch.gaps)
    assert later.touched[RecordType.SCHOOL] == {11}
    assert later.gaps == {} and later.last_event_id == 3
