"""GraphQL subscriptions (graphql-transport-ws): live budget figures, changes, sync freshness.

Subscriptions listen to pub/sub (`api.pubsub`), never to the database directly: the outbox
bridge publishes every committed change on the `changes` channel, in whichever process made it.

- `budgetSummary(groupBy:, filter:)` sends the current groups at once, then fresh groups after
  every change that touches them. Changes that cannot matter are skipped without a query; bursts
  coalesce into one recomputation; identical subscriptions share it; unchanged results are not sent.
- `changes(types:)` streams committed change events (token holders only).
- `syncStatus` sends freshness at once and again after each sync cycle (the worker's
  `sync-status` hint, sheet-made changes, or a slow timer as a fallback).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from datetime import datetime
from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.live.notices import ChangeNotice, decode_batch
from api.live.relevance import touches_summary
from api.live.runtime import current_pubsub
from api.live.shared import SharedComputations
from api.live.sync_status import SyncFreshness, read_freshness
from api.pubsub import channels
from models.enums import ActorKind, ChangeAction, RecordType
from schema.budget_summary import BudgetGroup, compute_budget_summary
from schema.enums import BudgetDimension
from schema.filters import BudgetFilter
from schema.permissions import CanReadRestricted

# Freshness is re-read this often even without hints, so a lost hint costs at most this delay.
SYNC_STATUS_REFRESH_SECONDS = 15.0

_summaries: SharedComputations[list[BudgetGroup]] = SharedComputations()


@strawberry.type(description="A committed change, as streamed by the `changes` subscription.")
class LiveChange:
    event_id: strawberry.ID = strawberry.field(description="Outbox position (increasing).")
    occurred_at: datetime = strawberry.field(description="When the change was committed.")
    record_type: RecordType = strawberry.field(description="Kind of record changed.")
    record_id: int = strawberry.field(description="Database id of the changed record.")
    action: ChangeAction = strawberry.field(description="What the change did.")
    changed_fields: list[str] = strawberry.field(description="Fields that changed, in API terms.")
    changes: JSON = strawberry.field(description="{field: [old, new]} in API terms (money in won).")
    actor_kind: ActorKind = strawberry.field(description="Who or what made the change.")
    actor_name: str = strawberry.field(description="Token name, `sheet-sync` or the system.")

    @classmethod
    def from_notice(cls, notice: ChangeNotice) -> LiveChange:
        return cls(
            event_id=strawberry.ID(str(notice.event_id)),
            occurred_at=notice.occurred_at,
            record_type=notice.record_type,
            record_id=notice.record_id,
            action=notice.action,
            changed_fields=sorted(notice.changes),
            changes=cast(JSON, notice.changes),
            actor_kind=notice.actor_kind,
            actor_name=notice.actor_name,
        )


@strawberry.type(description="How fresh the figures are: the sheet sync's last cycle and open problems.")
class LiveSyncStatus:
    last_cycle_at: datetime | None = strawberry.field(description="When the last sync cycle ran.")
    last_success_at: datetime | None = strawberry.field(
        description="When every spreadsheet last synced successfully (the stalest one counts)."
    )
    lag_seconds: float | None = strawberry.field(description="Seconds since `lastSuccessAt`, when sent.")
    last_error: str | None = strawberry.field(description="The last cycle's error, if it failed.")
    open_issues: int = strawberry.field(description="Sheet problems (bad cells) waiting for a person.")
    pending_conflicts: int = strawberry.field(description="Conflicts kept for review.")
    spreadsheets: int = strawberry.field(description="Spreadsheets the worker syncs.")

    @classmethod
    def from_freshness(cls, freshness: SyncFreshness) -> LiveSyncStatus:
        return cls(
            last_cycle_at=freshness.last_cycle_at,
            last_success_at=freshness.last_success_at,
            lag_seconds=freshness.lag_seconds(),
            last_error=freshness.last_error,
            open_issues=freshness.open_issues,
            pending_conflicts=freshness.pending_conflicts,
            spreadsheets=freshness.spreadsheets,
        )


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws); token in connection_init.")
class Subscription:
    @strawberry.subscription(  # type: ignore[untyped-decorator]  # overload returns Any with kwargs
        description="The `budgetSummary` groups now, then again whenever a committed change alters them."
    )
    async def budget_summary(
        self,
        info: Info,
        group_by: Annotated[
            list[BudgetDimension], strawberry.argument(description="Dimensions to group by.")
        ],
        filter: Annotated[  # the GraphQL argument's name
            BudgetFilter | None, strawberry.argument(description="Which budget lines count.")
        ] = None,
    ) -> AsyncGenerator[list[BudgetGroup], None]:
        # Aggregate figures are public, as on HTTP.
        key = (tuple(group_by), repr(filter))
        async with current_pubsub().subscribe(channels.CHANGES) as messages:
            last = await compute_budget_summary(group_by, filter)
            yield last
            async for event_id in _coalesced(messages, lambda n: touches_summary(n, group_by, filter)):
                groups = await _summaries.get(key, event_id, lambda: compute_budget_summary(group_by, filter))
                if _fingerprint(groups) != _fingerprint(last):
                    last = groups
                    yield groups

    @strawberry.subscription(  # type: ignore[untyped-decorator]  # overload returns Any with kwargs
        description="Committed change events, as they happen (token holders only, as history on HTTP).",
        permission_classes=[CanReadRestricted],
    )
    async def changes(
        self,
        info: Info,
        types: Annotated[
            list[RecordType] | None,
            strawberry.argument(description="Only these record types (all when absent)."),
        ] = None,
    ) -> AsyncGenerator[LiveChange, None]:
        wanted = set(types or RecordType)
        async with current_pubsub().subscribe(channels.CHANGES) as messages:
            async for message in messages:
                for notice in decode_batch(channels.decode(message)):
                    if notice.record_type in wanted:
                        yield LiveChange.from_notice(notice)

    @strawberry.subscription(  # type: ignore[untyped-decorator]  # overload returns Any with kwargs
        description="Sync freshness now, then again after each sync cycle."
    )
    async def sync_status(self, info: Info) -> AsyncGenerator[LiveSyncStatus, None]:
        pubsub = current_pubsub()
        async with (
            pubsub.subscribe(channels.SYNC_STATUS) as hints,
            pubsub.subscribe(channels.CHANGES) as changes,
        ):
            wake = asyncio.Event()
            async with _pumping(hints, wake, lambda _: True), _pumping(changes, wake, _made_by_sheet):
                last = await read_freshness()
                yield LiveSyncStatus.from_freshness(last)
                while True:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), SYNC_STATUS_REFRESH_SECONDS)
                    wake.clear()
                    freshness = await read_freshness()
                    if freshness != last:
                        last = freshness
                        yield LiveSyncStatus.from_freshness(freshness)


async def _coalesced(
    messages: AsyncIterator[bytes], relevant: Callable[[ChangeNotice], bool]
) -> AsyncIterator[int]:
    """Yield the newest relevant event id; notices arriving meanwhile collapse into the next one."""
    while True:
        newest = 0
        message = await anext(messages)
        while True:
            for notice in decode_batch(channels.decode(message)):
                if relevant(notice):
                    newest = max(newest, notice.event_id)
            # Take whatever else already arrived before recomputing once for all of it.
            if getattr(messages, "pending", lambda: 0)() == 0:
                break
            message = await anext(messages)
        if newest:
            yield newest


@contextlib.asynccontextmanager
async def _pumping(
    messages: AsyncIterator[bytes], wake: asyncio.Event, relevant: Callable[[ChangeNotice], bool]
) -> AsyncIterator[None]:
    """Set `wake` for every relevant message, in a task that ends with the block."""

    async def pump() -> None:
        async for message in messages:
            payload = channels.decode(message)
            if "events" not in payload or any(relevant(n) for n in decode_batch(payload)):
                wake.set()

    task = asyncio.create_task(pump())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _made_by_sheet(notice: ChangeNotice) -> bool:
    return notice.actor_kind is ActorKind.SHEET_SYNC


def _fingerprint(groups: list[BudgetGroup]) -> list[tuple[object, ...]]:
    return [
        (tuple((k.value, k.label) for k in g.keys), g.allocated, g.executed, g.line_count) for g in groups
    ]


__all__ = ["LiveChange", "LiveSyncStatus", "Subscription"]
