"""GraphQL subscriptions (graphql-transport-ws): live budget figures, changes, sync freshness.

Subscriptions listen to pub/sub (`pubsub`), never to the database directly: the outbox
bridge publishes every committed change on the `changes` channel, in whichever process made it.

- `budgetSummary(groupBy:, filter:)` sends the current groups at once, then fresh groups after
  every change that touches them. Changes that cannot matter are skipped without a query; bursts
  coalesce into one recomputation; identical subscriptions share it; unchanged results are not sent.
- `activitySummary(groupBy:, filter:)` does the same for what programs achieved (운영 실적).
- `changes(types:)` streams committed change events (token holders only).
- `syncStatus` sends `Query.syncStatus` at once and again when it changes: one reader per
  process, woken by the worker's `sync-status` hint after a cycle or by any change, with a slow
  timer as a fallback, shared by every subscriber.

Identical subscriptions (same document, variables and access) share one execution and one JSON
encoding per result (`schema.live.shared_streams`); `metadata=` says what a late joiner gets first.
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

from models.enums import ActorKind, ChangeAction, RecordType
from pubsub import channels
from schema.activity_summary import ActivityGroup, compute_activity_summary
from schema.budget_summary import SUMMED, BudgetGroup, compute_budget_summary
from schema.enums import ActivityDimension, BudgetDimension
from schema.filters import BudgetFilter
from schema.live import shared_streams
from schema.live.activity_relevance import touches_activity
from schema.live.feed import SharedFeed
from schema.live.notices import ChangeNotice, decode_message
from schema.live.relevance import touches_summary
from schema.live.state import current_pubsub, shared_computations, shared_feed
from schema.permissions import CanReadRestricted
from schema.session_filters import ProgramSessionFilter
from schema.sync_views import SyncStatus, sync_status

# Freshness is re-read this often even without hints, so a lost hint costs at most this delay.
SYNC_STATUS_REFRESH_SECONDS = 15.0


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


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws); token in connection_init.")
class Subscription:
    @strawberry.subscription(  # type: ignore[untyped-decorator]  # overload returns Any with kwargs
        description="The `budgetSummary` groups now, then again whenever a committed change alters them.",
        metadata=shared_streams.LATEST,
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
                groups = await shared_computations().get(
                    key, event_id, lambda: compute_budget_summary(group_by, filter)
                )
                if _fingerprint(groups) != _fingerprint(last):
                    last = groups
                    yield groups

    @strawberry.subscription(  # type: ignore[untyped-decorator]  # overload returns Any with kwargs
        description="The `activitySummary` groups now, then again whenever a committed change alters them.",
        metadata=shared_streams.LATEST,
    )
    async def activity_summary(
        self,
        info: Info,
        group_by: Annotated[
            list[ActivityDimension], strawberry.argument(description="Dimensions to group by.")
        ],
        filter: Annotated[  # the GraphQL argument's name
            ProgramSessionFilter | None, strawberry.argument(description="Which sessions count.")
        ] = None,
    ) -> AsyncGenerator[list[ActivityGroup], None]:
        # Aggregate counts are public, as on HTTP.
        key = ("activity", tuple(group_by), repr(filter))
        async with current_pubsub().subscribe(channels.CHANGES) as messages:
            last = await compute_activity_summary(group_by, filter)
            yield last
            async for event_id in _coalesced(messages, lambda n: touches_activity(n, group_by, filter)):
                groups = await shared_computations().get(
                    key, event_id, lambda: compute_activity_summary(group_by, filter)
                )
                if _activity_fingerprint(groups) != _activity_fingerprint(last):
                    last = groups
                    yield groups

    @strawberry.subscription(  # type: ignore[untyped-decorator]  # overload returns Any with kwargs
        description="Committed change events, as they happen (token holders only, as history on HTTP).",
        permission_classes=[CanReadRestricted],
        metadata=shared_streams.EVENTS,
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
                for notice in decode_message(message):
                    if notice.record_type in wanted:
                        yield LiveChange.from_notice(notice)

    @strawberry.subscription(  # type: ignore[untyped-decorator]  # overload returns Any with kwargs
        description="`syncStatus` now, then again after each sync cycle that changes it. Public, as on HTTP.",
        metadata=shared_streams.LATEST,
    )
    async def sync_status(self, info: Info) -> AsyncGenerator[SyncStatus, None]:
        # One reader per process serves every subscriber (see `_freshness_feed`).
        feed = shared_feed("sync-status", _freshness_feed)
        async for status in feed.values():
            yield status


def _freshness_feed() -> SharedFeed[SyncStatus]:
    """Freshness re-read after a worker's `sync-status` hint or any committed change (pending for
    the sheet), else every SYNC_STATUS_REFRESH_SECONDS; sent on only when it changed."""

    @contextlib.asynccontextmanager
    async def hints(wake: asyncio.Event) -> AsyncIterator[None]:
        pubsub = current_pubsub()
        async with (
            pubsub.subscribe(channels.SYNC_STATUS) as cycles,
            pubsub.subscribe(channels.CHANGES) as changes,
            _pumping(cycles, wake),
            _pumping(changes, wake),
        ):
            yield

    return SharedFeed(
        sync_status, wake_source=hints, news=_without_lag, refresh_seconds=SYNC_STATUS_REFRESH_SECONDS
    )


async def _coalesced(
    messages: AsyncIterator[bytes], relevant: Callable[[ChangeNotice], bool]
) -> AsyncIterator[int]:
    """Yield the newest relevant event id; notices arriving meanwhile collapse into the next one."""
    while True:
        newest = 0
        message = await anext(messages)
        while True:
            for notice in decode_message(message):
                if relevant(notice):
                    newest = max(newest, notice.event_id)
            # Take whatever else already arrived before recomputing once for all of it.
            if getattr(messages, "pending", lambda: 0)() == 0:
                break
            message = await anext(messages)
        if newest:
            yield newest


@contextlib.asynccontextmanager
async def _pumping(messages: AsyncIterator[bytes], wake: asyncio.Event) -> AsyncIterator[None]:
    """Set `wake` for every message, in a task that ends with the block."""

    async def pump() -> None:
        async for _ in messages:
            wake.set()

    task = asyncio.create_task(pump())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _without_lag(status: SyncStatus) -> tuple[object, ...]:
    # Lag grows every second; clients derive it from `lastSuccessAt`, so it alone is no news.
    return (
        status.last_cycle_at,
        status.last_success_at,
        status.error,
        status.pending_changes,
        status.pending_conflicts,
        status.open_issues,
    )


def _fingerprint(groups: list[BudgetGroup]) -> list[tuple[object, ...]]:
    return [
        (tuple((k.value, k.label) for k in g.keys), *(getattr(g, name) for name in SUMMED), g.line_count)
        for g in groups
    ]


def _activity_fingerprint(groups: list[ActivityGroup]) -> list[tuple[object, ...]]:
    return [
        (
            tuple((k.value, k.label) for k in g.keys),
            g.sessions,
            g.elementary,
            g.middle,
            g.high,
            g.special,
            g.hours,
            g.executed,
        )
        for g in groups
    ]


__all__ = ["LiveChange", "Subscription"]
