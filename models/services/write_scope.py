"""One transaction per unit of work, with the outbox events it produced."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from models import change_clock
from models.actor import Actor
from models.change_event import ChangeEvent
from models.enums import ChangeAction, RecordType

logger = logging.getLogger(__name__)

CommitListener = Callable[[list[ChangeEvent]], Awaitable[None]]
_commit_listeners: list[CommitListener] = []


def add_commit_listener(listener: CommitListener) -> None:
    """Hear every batch of change events right after its transaction commits (pub/sub, sync wake-up)."""
    _commit_listeners.append(listener)


def remove_commit_listener(listener: CommitListener) -> None:
    if listener in _commit_listeners:
        _commit_listeners.remove(listener)


@dataclass
class WriteScope:
    """Handed to every service write: who writes, and the events this transaction appended."""

    actor: Actor
    connection: Any
    events: list[ChangeEvent] = field(default_factory=list)
    # Named locks this transaction holds (see `locking.exclusive`), each with a value its owner may
    # keep current while holding it (the allocated total); None until the owner sets one.
    held: dict[str, Any] = field(default_factory=dict)
    # The sync cycle writing (models.sync_cycle), carried on every event so a cycle can be reverted.
    cycle_id: int | None = None
    # The latest event, not inserted yet: it goes in with the clock tick, as the transaction's
    # last statement (`close`). Every earlier one is inserted when the next is recorded.
    unsaved: ChangeEvent | None = None

    async def record(
        self, record_type: RecordType, record_id: int, action: ChangeAction, changes: dict[str, list[Any]]
    ) -> ChangeEvent:
        """Append an event to this transaction's outbox; its id is set once it is inserted (at the
        next `record` or at `close`, before commit either way)."""
        await self._insert_unsaved()
        event = ChangeEvent(
            record_type=record_type,
            record_id=record_id,
            action=action,
            changes=changes,
            actor_kind=self.actor.kind,
            actor_name=self.actor.name,
            cycle_id=self.cycle_id,
        )
        self.unsaved = event
        self.events.append(event)
        return event

    async def close(self) -> None:
        """The transaction's last statements: the held event, then the clock tick (models.change_clock).

        On PostgreSQL both are one statement. Last, so the clock's row lock is held only for the
        commit.
        """
        if not self.events:
            return
        event, self.unsaved = self.unsaved, None
        if event is None or self.connection.capabilities.dialect != "postgres":
            if event is not None:
                await event.save(using_db=self.connection)
            await change_clock.tick(self.connection)
            return
        executor = self.connection.executor_class(model=ChangeEvent, db=self.connection)
        fields = ChangeEvent._meta.fields_map
        values = [fields[name].to_db_value(getattr(event, name), event) for name in executor.regular_columns]
        rows = await change_clock.tick_after(self.connection, executor.insert_query, values)
        event.pk = rows[0]["id"]
        event._saved_in_db = True  # as Tortoise's own insert leaves it

    async def _insert_unsaved(self) -> None:
        event, self.unsaved = self.unsaved, None
        if event is not None:
            await event.save(using_db=self.connection)


@asynccontextmanager
async def write_scope(actor: Actor, *, cycle_id: int | None = None) -> AsyncIterator[WriteScope]:
    """Open a transaction; on success commit it, then tell listeners what changed."""
    async with in_transaction() as connection:
        scope = WriteScope(actor=actor, connection=connection, cycle_id=cycle_id)
        yield scope
        await scope.close()
    if scope.events:
        await _notify(scope.events)


async def _notify(events: list[ChangeEvent]) -> None:
    for listener in list(_commit_listeners):
        try:
            await listener(events)
        except Exception:
            # A failing subscriber must never turn a committed write into an error for the writer;
            # consumers that must not miss events read the outbox by cursor instead.
            logger.exception("commit listener failed")
