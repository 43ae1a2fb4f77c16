"""GraphQL subscriptions: live budget figures, the change stream and sync freshness.

Skeleton committed early so `schema.root` can import `Subscription`; fields fill in as the
pub/sub layer lands. Subscriptions listen to pub/sub, never to the database directly.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry


@strawberry.type(description="A committed change, as streamed to subscribers.")
class ChangeNotice:
    event_id: strawberry.ID = strawberry.field(description="Outbox position of the change.")
    record_type: str = strawberry.field(description="School, Program or BudgetLine.")
    record_id: int = strawberry.field(description="Database id of the changed record.")
    action: str = strawberry.field(description="CREATE, UPDATE, ARCHIVE or RESTORE.")


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(description="Streams committed change events.")
    async def changes(self) -> AsyncGenerator[ChangeNotice, None]:
        # Placeholder until the pub/sub bridge lands: yields nothing.
        return
        yield  # pragma: no cover
