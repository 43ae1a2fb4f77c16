"""The GraphQL context: who is asking, the request's DataLoaders and the settings.

`context_for_request` builds it from a Starlette request or WebSocket so HTTP and subscriptions
share one authentication rule::

    context = await context_for_request(request, settings)       # HTTP: Authorization header
    context = await context_for_request(websocket, settings)     # WebSocket: anonymous until
    context.viewer = await authenticate_connection_params(...)  # connection_init says otherwise
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from api.auth import authenticate
from api.settings import Settings
from models.actor import Actor
from schema.loaders import Loaders

VIEWER_SCOPE_KEY = "eduhub.viewer"


@dataclass
class Context:
    """Everything a resolver may need besides its arguments."""

    viewer: Actor | None
    settings: Settings
    loaders: Loaders = field(default_factory=Loaders)
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    # Set by strawberry from a WebSocket's `connection_init` payload.
    connection_params: dict[str, object] | None = None


async def context_for_request(
    request: Request | WebSocket, settings: Settings, response: Response | WebSocket | None = None
) -> Context:
    """The context for one HTTP request or one WebSocket connection.

    The viewer comes from the ASGI scope when the app already authenticated the request (so a
    token is looked up once), else from the `Authorization` header; raises
    `api.auth.InvalidCredentials` for a wrong or revoked token.
    """
    if VIEWER_SCOPE_KEY in request.scope:
        viewer: Actor | None = request.scope[VIEWER_SCOPE_KEY]
    else:
        viewer = await authenticate(request.headers.get("authorization"))
    # A WebSocket context lives as long as the connection: batch, but never serve stale rows.
    loaders = Loaders(cache=not isinstance(request, WebSocket))
    return Context(viewer=viewer, settings=settings, loaders=loaders, request=request, response=response)
