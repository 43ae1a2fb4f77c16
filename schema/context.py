"""The GraphQL context: who is asking, the request's DataLoaders, the settings and the app's hooks.

`context_for_request` builds it from a Starlette request or WebSocket. Who is asking was settled
by the app before the schema runs (it verifies credentials; the schema never does): the app puts
the viewer in the ASGI scope under `VIEWER_SCOPE_KEY`, so HTTP and subscriptions share one rule::

    scope[VIEWER_SCOPE_KEY] = viewer            # the app: an Actor, or None (anonymous)
    context = await context_for_request(request, settings, resolve_conflict=resolve_conflict)
    context.viewer = ...                        # a WebSocket: from its connection_init

The app also hands in what the schema may not import itself: the sync's conflict resolution.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from models.actor import Actor
from models.sync_state import SyncConflict
from schema.loaders import Loaders
from schema.settings import SchemaSettings

VIEWER_SCOPE_KEY = "eduhub.viewer"
"""The ASGI scope key under which the app leaves the authenticated viewer (an Actor, or None)."""


class ConflictResolver(Protocol):
    """Keeps one side of a sync conflict: the sync's own rule, handed in by the app
    (`sync.conflicts.resolve_conflict`), so the schema does not import the sync package."""

    def __call__(self, conflict_id: int, keep: str, actor: Actor) -> Awaitable[SyncConflict]: ...


@dataclass
class Context:
    """Everything a resolver may need besides its arguments."""

    viewer: Actor | None
    settings: SchemaSettings
    resolve_conflict: ConflictResolver
    loaders: Loaders = field(default_factory=Loaders)
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    # Set by strawberry from a WebSocket's `connection_init` payload.
    connection_params: dict[str, object] | None = None
    # The operation's plans (`schema.planned.execution.OperationPlans`) when one of them answered
    # it: the same query is then answered by its plans directly next time (`schema.planned.direct`).
    planned: Any = None


async def context_for_request(
    request: Request | WebSocket,
    settings: SchemaSettings,
    response: Response | WebSocket | None = None,
    *,
    resolve_conflict: ConflictResolver,
) -> Context:
    """The context for one HTTP request or one WebSocket connection.

    The viewer is the one the app authenticated and left in the scope (a token is looked up once,
    by the app). A scope without it is the app's bug and raises KeyError: a request is never
    quietly served as anonymous.
    """
    viewer: Actor | None = request.scope[VIEWER_SCOPE_KEY]
    # A WebSocket context lives as long as the connection: batch, but never serve stale rows.
    loaders = Loaders(cache=not isinstance(request, WebSocket))
    return Context(
        viewer=viewer,
        settings=settings,
        resolve_conflict=resolve_conflict,
        loaders=loaders,
        request=request,
        response=response,
    )
