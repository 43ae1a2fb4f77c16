"""Reading the outbox: the change events after a cursor tell which records the API touched.

The worker never rescans tables to find database-side changes; it reads these events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models.change_event import ChangeEvent
from models.enums import ActorKind, RecordType


@dataclass
class OutboxBatch:
    """Record ids touched per type since the cursor, and the new cursor position."""

    touched: dict[RecordType, set[int]] = field(default_factory=lambda: defaultdict(set))
    last_event_id: int = 0
    foreign: int = 0  # events not written by the sheet sync itself


async def has_foreign_events(after: int) -> bool:
    """Any change since ``after`` not written by the sheet sync (an idle cycle asks only this)."""
    return await ChangeEvent.filter(id__gt=after).exclude(actor_kind=ActorKind.SHEET_SYNC).exists()


async def read(after: int) -> OutboxBatch:
    """Every event after ``after`` (the worker's own included: they are cheap and harmless)."""
    batch = OutboxBatch(last_event_id=after)
    rows = await ChangeEvent.filter(id__gt=after).values_list("id", "record_type", "record_id", "actor_kind")
    for event_id, record_type, record_id, actor_kind in rows:
        batch.touched[RecordType(record_type)].add(int(record_id))
        batch.last_event_id = max(batch.last_event_id, int(event_id))
        if actor_kind != ActorKind.SHEET_SYNC:
            batch.foreign += 1
    return batch
