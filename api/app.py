"""The Starlette application: `/graphql` (HTTP and WebSocket), `/livez`, `/readyz`, `/metrics`.

`create_app(settings)` is the uvicorn factory (`uvicorn --factory api.app:create_app`, or the
`eduhub` CLI). The lifespan owns Tortoise (migrations stay with `eduhub migrate`).

Extension points, for the parts that plug into the app:

- `extra_routes`: more routes, mounted before the built-in ones, e.g.
  `create_app(settings, extra_routes=[Route("/dashboard", dashboard)])`. Built-in extras belong
  in `_feature_routes(settings)` below (one line each).
- `lifespan_hooks`: async context managers entered after the database is up and left before it
  closes, in order; whatever mapping a hook yields is merged into the lifespan state
  (`request.state.<key>`), e.g. a pub/sub broadcast or an in-process sync worker::

      @asynccontextmanager
      async def pubsub(app: Starlette) -> AsyncIterator[dict[str, object]]:
          async with open_pubsub(settings) as bus:
              yield {"pubsub": bus}

      create_app(settings, lifespan_hooks=[pubsub])

  Built-in hooks belong in `_feature_hooks(settings)` below.
- `manage_database=False`: the caller already initialised Tortoise (tests, embedding).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import ASGIApp
from tortoise.contrib.starlette import RegisterTortoise

from api import dashboard, graphiql, webhook
from api.edge import Edge, Shortcut
from api.graphql_app import EduhubGraphQL
from api.health import livez, readyz
from api.live.runtime import lifespan_hook as live_lifespan_hook
from api.metrics import metrics_endpoint, operation_metrics
from api.reports.route import routes as report_routes
from api.settings import Settings, get_settings
from models.db import tortoise_config
from schema.root import build_schema

LifespanHook = Callable[[Starlette], AbstractAsyncContextManager[Mapping[str, Any] | None]]


def create_app(
    settings: Settings | None = None,
    *,
    manage_database: bool = True,
    extra_routes: Sequence[BaseRoute] = (),
    lifespan_hooks: Sequence[LifespanHook] = (),
) -> Starlette:
    """The whole web application for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    graphql = EduhubGraphQL(build_schema(settings, extra_extensions=[operation_metrics(settings)]), settings)
    routes: list[BaseRoute] = [
        *extra_routes,
        # /graphql first among the built-in routes: the router tries routes in order on every request.
        Route("/graphql", _with_cors(graphql, settings), name="graphql"),
        WebSocketRoute("/graphql", graphql, name="graphql-ws"),
        *_feature_routes(settings),
        Route("/livez", livez, methods=["GET"], name="livez"),
        Route("/readyz", readyz, methods=["GET"], name="readyz"),
        Route("/healthz", readyz, methods=["GET"], name="healthz"),  # the name deployments already use
        Route("/metrics", metrics_endpoint, methods=["GET"], name="metrics"),
    ]
    hooks = [graphql.serving, *_feature_hooks(settings), *lifespan_hooks]
    # A route of the caller's own at /graphql comes first in the router: then nothing skips it.
    claimed = any(getattr(route, "path", None) == "/graphql" for route in extra_routes)
    app = EdgedStarlette(
        routes=routes,
        shortcut=None if claimed else graphql.shortcut,
        lifespan=_lifespan(settings, manage_database, hooks),
    )
    app.state.settings = settings
    app.state.schema = graphql.schema  # reports run their summaries through the API's own schema
    return app


class EdgedStarlette(Starlette):
    """Starlette inside `api.edge.Edge`: request ids and security headers on every response (the
    500 page too), and cached `/graphql` answers sent before routing."""

    def __init__(self, *args: Any, shortcut: Shortcut | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shortcut = shortcut

    def build_middleware_stack(self) -> ASGIApp:
        return Edge(super().build_middleware_stack(), shortcut=self.shortcut)


def _feature_routes(settings: Settings) -> list[BaseRoute]:
    """Routes the project's own features add (dashboard, sheet webhook): one line each."""
    return [
        *dashboard.routes,  # /dashboard and its static assets
        *report_routes,  # /reports/<summary>.xlsx (api.reports)
        *webhook.routes,  # /hooks/sheets (404 while SHEETS_WEBHOOK_SECRET is unset)
        *(graphiql.routes if settings.graphiql else []),  # GraphiQL's own assets (no CDN)
    ]


def _feature_hooks(settings: Settings) -> list[LifespanHook]:
    """Lifespan resources the project's own features add (pub/sub, sync worker): one line each."""
    return [live_lifespan_hook(settings)]  # pub/sub, outbox bridge, sync wake relay


def _with_cors(app: EduhubGraphQL, settings: Settings) -> Any:
    # No origins configured means no cross-origin browser access at all (the safe default).
    if not settings.cors_allowed_origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=settings.cors_allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )


def _lifespan(
    settings: Settings, manage_database: bool, hooks: Sequence[LifespanHook]
) -> Callable[[Starlette], AbstractAsyncContextManager[Mapping[str, Any]]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[Mapping[str, Any]]:
        state: dict[str, Any] = {"settings": settings}
        async with AsyncExitStack() as stack:
            if manage_database:
                await stack.enter_async_context(
                    RegisterTortoise(app, config=tortoise_config(settings.database_url))
                )
            for hook in hooks:
                provided: Mapping[str, Any] | None = await stack.enter_async_context(hook(app))
                state.update(provided or {})
            yield state

    return lifespan
