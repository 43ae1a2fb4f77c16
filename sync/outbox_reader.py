"""Reading the outbox: the change events after a cursor tell which records the API touched.

The worker never rescans tables to find database-side changes; it reads these events.
On PostgreSQL, ids come from a sequence at insert time, so a long transaction can commit an
event whose id is below one already read. Ids skipped over are kept as gaps and read again
until they appear (or expire: a rolled-back transaction leaves a gap for ever).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from models.change_event import ChangeEvent
from models.enums import ActorKind, RecordType

GAP_LIFETIME = timedelta(minutes=10)
MAX_GAPS = 1000


@dataclass
class OutboxBatch:
    """Record ids touched per type since the cursor, the new cursor and the ids still missing."""

    touched: dict[RecordType, set[int]] = field(default_factory=lambda: defaultdict(set))
    last_event_id: int = 0
    gaps: dict[str, str] = field(default_factory=dict)
    foreign: int = 0  # events not written by the sheet sync itself


def _unread(after: int, gaps: dict[str, str]) -> Q:
    return Q(id__gt=after) | Q(id__in=[int(g) for g in gaps]) if gaps else Q(id__gt=after)


async def has_foreign_events(after: int, gaps: dict[str, str] | None = None) -> bool:
    """Any unread change not written by the sheet sync (an idle cycle asks only this)."""
    query = ChangeEvent.filter(_unread(after, gaps or {})).exclude(actor_kind=ActorKind.SHEET_SYNC)
    return await query.exists()


async def read(after: int, gaps: dict[str, str] | None = None) -> OutboxBatch:
    """Every unread event (the worker's own included: they are cheap and harmless)."""
    gaps = dict(gaps or {})
    batch = OutboxBatch(last_event_id=after)
    rows = await ChangeEvent.filter(_unread(after, gaps)).values_list(
        "id", "record_type", "record_id", "actor_kind"
    )
    seen = set()
    for event_id, record_type, record_id, actor_kind in rows:
        seen.add(int(event_id))
        batch.touched[RecordType(record_type)].add(int(record_id))
        batch.last_event_id = max(batch.last_event_id, int(event_id))
        if actor_kind != ActorKind.SHEET_SYNC:
            batch.foreign += 1
    now = datetime.now(UTC)
    for missing in set(range(after + 1, batch.last_event_id)) - seen:
        gaps.setdefault(str(missing), now.isoformat())
    kept = {
        g: t for g, t in gaps.items() if int(g) not in seen and now - datetime.fromisoformat(t) < GAP_LIFETIME
    }
    batch.gaps = dict(sorted(kept.items(), key=lambda item: int(item[0]))[-MAX_GAPS:])
    return batch
