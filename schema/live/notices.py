"""The compact change notification published on the `changes` channel, and its decoding.

One message per committed transaction: `{"events": [notice, ...]}`. A notice carries what a
subscriber needs to decide whether a change concerns it without reading the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.change_event import ChangeEvent
from models.enums import ActorKind, ChangeAction, RecordType
from pubsub import channels

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChangeNotice:
    event_id: int
    occurred_at: datetime
    record_type: RecordType
    record_id: int
    action: ChangeAction
    # {field: [old, new]} in API terms, exactly as the outbox row holds it.
    changes: dict[str, list[Any]]
    actor_kind: ActorKind
    actor_name: str

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.changes)

    @classmethod
    def from_event(cls, event: ChangeEvent) -> ChangeNotice:
        return cls(
            event_id=event.id,
            occurred_at=event.occurred_at,
            record_type=RecordType(event.record_type),
            record_id=event.record_id,
            action=ChangeAction(event.action),
            changes=dict(event.changes),
            actor_kind=ActorKind(event.actor_kind),
            actor_name=event.actor_name,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "at": self.occurred_at.isoformat(),
            "type": str(self.record_type),
            "record": self.record_id,
            "action": str(self.action),
            "changes": self.changes,
            "actor": [str(self.actor_kind), self.actor_name],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChangeNotice:
        actor_kind, actor_name = data["actor"]
        return cls(
            event_id=int(data["id"]),
            occurred_at=datetime.fromisoformat(data["at"]),
            record_type=RecordType(data["type"]),
            record_id=int(data["record"]),
            action=ChangeAction(data["action"]),
            changes=dict(data["changes"]),
            actor_kind=ActorKind(actor_kind),
            actor_name=str(actor_name),
        )


def encode_batch(notices: list[ChangeNotice]) -> dict[str, Any]:
    return {"events": [notice.to_json() for notice in notices]}


def decode_batch(payload: dict[str, Any]) -> list[ChangeNotice]:
    return [ChangeNotice.from_json(item) for item in payload.get("events", [])]


def decode_message(message: bytes) -> list[ChangeNotice]:
    """The notices in a `changes` message; a malformed message is logged and yields none.

    Anything can publish on a Redis channel: one bad message must not end every subscription.
    """
    try:
        return decode_batch(channels.decode(message))
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("ignored a malformed change message (%s): %.200r", error, message)
        return []
