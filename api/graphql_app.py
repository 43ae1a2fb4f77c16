"""The `/graphql` endpoint: strawberry's ASGI view with orjson, token auth and our context.

- Responses are UTF-8 JSON from orjson (Korean stays Korean, no `\\u` escapes).
- A wrong or revoked bearer token gets a 401 with a GraphQL-style JSON error body, never a
  silent downgrade to anonymous. WebSockets authenticate from the `connection_init` payload.
- Mutations over GET are refused with 405.
- Every transport error (body over `MAX_REQUEST_BYTES`, wrong content type, bad or non-object
  JSON, an operation that cannot be chosen...) is GraphQL-shaped JSON with its 4xx status
  (`api.http_errors`), never strawberry's text/plain or a 500.
- Identical subscriptions on this process share one execution and one encoding per event
  (`schema.live.shared_streams`); a token's WebSockets end when it is revoked or expires
  (`api.live.token_watch`). Only graphql-transport-ws is spoken.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.http.types import HTTPMethod
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UnsetType

from api import graphiql, http_errors, json_post, response_cache, response_media
from api.auth import InvalidCredentials, bearer_secret
from api.clock_reads import SharedClockReads
from api.live.ws_handler import TokenBoundHandler
from api.metrics import count_query, hit_counters, known_operations
from api.request_head import RequestHead
from api.settings import Settings
from api.token_verdicts import TokenVerdicts
from models import change_clock
from schema.context import VIEWER_SCOPE_KEY, Context, context_for_request
from schema.live.shared_streams import SharedStreams
from schema.planned.direct import DirectPlans
from sync.conflicts import resolve_conflict

logger = logging.getLogger(__name__)


def unauthorized(message: str) -> Response:
    """401 with a body shaped like a GraphQL error, so clients parse one format."""
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return Response(
        orjson.dumps(body),
        status_code=401,
        media_type="application/json",
        headers={"WWW-Authenticate": 'Bearer realm="eduhub"'},
    )


CLEAN_RESULT_KEY = "eduhub.clean_result"  # set on the scope when a result had no errors
PREPARED_KEY = "eduhub.prepared"  # a request the edge's shortcut prepared and did not answer


@dataclass(slots=True)
class Prepared:
    """A `/graphql` HTTP request read, authenticated and looked up, before anything runs.

    Exactly one way on holds: `gone` (the client left), `failure` (to raise where the app
    answers), `response` (refused: a bad token, a transport error), `cached` (the answer, ready)
    or none of them: run it, and keep a clean answer under `key` and `clock` when `key` is set.
    """

    body: bytes = b""
    readable: response_cache.Readable | None = None
    key: tuple[object, ...] | None = None
    clock: int = 0
    cached: response_cache.Entry | None = None
    response: Response | None = None
    failure: Exception | None = None
    gone: bool = False


def _as_graphql_response(response: Response, scope: Scope) -> None:
    """Answer in application/graphql-response+json (`api.response_media`): its type, and 400
    for a request error."""
    if not response.headers.get("content-type", "").startswith(response_media.LEGACY):
        return  # GraphiQL's page: not a GraphQL response
    response.headers["content-type"] = f"{response_media.GRAPHQL_RESPONSE}; charset=utf-8"
    if scope.get(response_media.REQUEST_ERROR_KEY) and response.status_code == 200:
        response.status_code = 400


class TextWebSocketAdapter(ASGIWebSocketAdapter):
    """graphql-ws clients expect text frames; orjson gives bytes."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        await self.send_text(orjson.dumps(message).decode())

    async def send_text(self, text: str) -> None:
        """Send a frame already encoded (a shared subscription payload in its envelope)."""
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class EduhubGraphQL(GraphQL[Context, None]):
    """strawberry.asgi.GraphQL with orjson, bearer-token auth and `schema.context.Context`."""

    websocket_adapter_class = TextWebSocketAdapter
    graphql_transport_ws_handler_class = TokenBoundHandler

    def __init__(self, schema: BaseSchema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
            allowed_origins=settings.cors_allowed_origins,
            # Only graphql-transport-ws: its handler ends a connection with its token; the legacy
            # graphql-ws protocol would keep a revoked token's subscriptions running.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.settings = settings
        self.shared_streams = SharedStreams()
        self.clock_reads = SharedClockReads()  # one statement for the requests waiting together
        self.token_verdicts = TokenVerdicts()  # reused while the token clock stands (api.token_verdicts)
        # Repeated queries, answered by their plans before strawberry runs (schema.planned.direct).
        self.direct_plans = DirectPlans(schema, max_list_length=settings.max_list_length)
        self.known_operations = known_operations(tuple(settings.metrics_operation_names))
        self.response_cache = (
            response_cache.ResponseCache(settings.response_cache_bytes) if settings.response_cache else None
        )

    @contextlib.asynccontextmanager
    async def serving(self, app: object) -> AsyncIterator[None]:
        """A lifespan hook (`api.app`): what the endpoint holds while the app serves, i.e. the
        clock reads' connection of their own (`api.clock_reads`)."""
        async with self.clock_reads.own_connection(self.settings.database_url):
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # Prepared already when the edge's shortcut looked at it and found no cached answer.
        prepared: Prepared | None = scope.pop(PREPARED_KEY, None)
        await self._respond(prepared or await self._prepare(scope, receive), scope, receive, send)

    async def shortcut(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """`api.edge.Shortcut`: answer a `/graphql` read from the response cache before routing.

        Anything else is left prepared on the scope (its body read, its viewer decided, its
        clocks read once) for this app to finish when the router reaches it, so nothing is
        done twice. Not for a cross-origin request when CORS is on: CORS headers come from
        its middleware on the route.
        """
        if scope["path"] != "/graphql" or scope.get("root_path") or self.response_cache is None:
            return False
        if self.settings.cors_allowed_origins and any(name == b"origin" for name, _ in scope["headers"]):
            return False
        prepared = await self._prepare(scope, receive)
        if prepared.cached is None:
            scope[PREPARED_KEY] = prepared
            return False
        await self._respond(prepared, scope, receive, send)
        return True

    async def _prepare(self, scope: Scope, receive: Receive) -> Prepared:
        """Read, authenticate and look up the request; what went wrong is kept, never raised."""
        head = RequestHead.of(scope)
        prepared = Prepared()
        scope[response_media.PREFERENCE_KEY] = response_media.prefers_graphql_response(head.accept)
        try:
            # The byte limit holds before anything is parsed (or a token looked up).
            limit = self.settings.max_request_bytes
            prepared.body = body = await http_errors.read_limited(receive, head.content_length, limit)
            secret = bearer_secret(head.authorization)
            prepared.readable = readable = self._readable(head, scope, body)
            clocks = await self._clocks() if secret is not None or readable is not None else None
            # Authenticate before strawberry reads the body: a bad token never reaches the schema.
            token_clock = None if clocks is None else clocks.tokens
            scope[VIEWER_SCOPE_KEY] = (
                None if secret is None else await self.token_verdicts.actor(secret, token_clock)
            )
        except ClientDisconnect:
            prepared.gone = True  # nobody is left to answer
        except (InvalidCredentials, http_errors.TransportError, HTTPException) as error:
            prepared.response = self._refusal(error, head.method)
        except Exception as error:  # raised where the app answers, inside Starlette's error handling
            prepared.failure = error
        else:
            if readable is not None and clocks is not None and self.response_cache is not None:
                # `clocks` was read before the viewer was decided and before any run: a commit
                # after it changes the clock, so nothing computed now is kept under a stale one.
                prepared.clock = clocks.changes
                prepared.key = self._cache_key(head.method, scope, body)
                prepared.cached = self.response_cache.lookup(prepared.key, prepared.clock)
                if prepared.cached is not None:
                    prepared.cached.counted.count()
        return prepared

    async def _respond(self, prepared: Prepared, scope: Scope, receive: Receive, send: Send) -> None:
        if prepared.gone:
            return
        if prepared.failure is not None:
            raise prepared.failure
        if prepared.cached is not None:
            start, whole_body = prepared.cached.messages()  # no Response object: the hot path
            await send(start)
            await send(whole_body)
            return
        response = prepared.response
        if response is None:
            try:
                response = await self._run_and_keep(prepared, scope, receive)
            except ClientDisconnect:
                return
            except (InvalidCredentials, http_errors.TransportError, HTTPException) as error:
                response = self._refusal(error, scope["method"])
        if scope[response_media.PREFERENCE_KEY]:
            _as_graphql_response(response, scope)
        await response(scope, receive, send)

    @staticmethod
    def _refusal(
        error: InvalidCredentials | http_errors.TransportError | HTTPException, method: str
    ) -> Response:
        if isinstance(error, InvalidCredentials):
            return unauthorized(error.message)
        if isinstance(error, http_errors.TransportError):
            return error.response()
        return http_errors.from_strawberry(error, method).response()

    async def _run_and_keep(self, prepared: Prepared, scope: Scope, receive: Receive) -> Response:
        """Run the request; a clean answer to a cacheable read is kept (`api.response_cache`)."""
        response = await self._run(Request(scope, receive), scope, prepared.body, receive)
        if prepared.key is None or prepared.readable is None or self.response_cache is None:
            return response
        if response.status_code == 200 and scope.get(CLEAN_RESULT_KEY):
            if scope[response_media.PREFERENCE_KEY]:
                _as_graphql_response(response, scope)  # kept as sent (applying it twice changes nothing)
            content_type = response.headers.get("content-type", "application/json")
            counted = hit_counters(self.known_operations, prepared.readable.operation_name)
            self.response_cache.store(
                prepared.key, prepared.clock, bytes(response.body), content_type, counted
            )
        return response

    async def _run(self, request: Request, scope: Scope, body: bytes, receive: Receive) -> Response:
        """Run the request: a plain JSON POST (`api.json_post`) through the view's own steps
        without its adapters, anything else through strawberry's view."""
        replayed = Request(scope, http_errors.replaying(body, receive))
        data = None
        if self._get_stream_transport_from_headers(request.headers) is None:
            data = json_post.plain_json_post(request.method, request.headers.get("content-type"), body)
        if data is None:
            return await self.run(replayed)
        sub_response = await self.get_sub_response(replayed)
        context = await self.get_context(replayed, response=sub_response)
        assert data.query is not None  # a plain JSON POST always has one
        direct = self.direct_plans.lookup(data.query, data.operation_name)
        if direct is not None:
            started = time.perf_counter()
            answer = await self.direct_plans.answer(direct, context, data.variables)
            if answer is not None:
                count_query(self.known_operations, direct.operation_name, time.perf_counter() - started)
                scope[CLEAN_RESULT_KEY] = True  # no errors: the response cache may keep it
                return self.create_response({"data": answer}, sub_response)
            context.planned = None
        result = await self._execute("POST", context, data)
        self.direct_plans.learn(data.query, data.operation_name, data.extensions, context, result.errors)
        response_data = await self.process_result(replayed, result)
        if result.errors:
            self._handle_errors(result.errors, response_data)
        return self.create_response(response_data, sub_response)

    async def _clocks(self) -> change_clock.Clocks | None:
        """Both clocks in one statement (`models.change_clock`), read before anything is decided."""
        try:
            return await self.clock_reads.read()
        except Exception as error:  # the database is down: the run (or the token check) reports it
            logger.warning("change clocks cannot be read, nothing is reused: %s", error)
            return None

    def _readable(self, head: RequestHead, scope: Scope, body: bytes) -> response_cache.Readable | None:
        """The operation of a read the cache may answer, else None."""
        if self.response_cache is None or head.method not in ("GET", "POST"):
            return None
        return self.response_cache.readable_request(
            head.method, head.content_type, body, scope.get("query_string", b"")
        )

    def _cache_key(self, method: str, scope: Scope, body: bytes) -> tuple[object, ...]:
        payload = body if method == "POST" else scope.get("query_string", b"")
        preference = scope[response_media.PREFERENCE_KEY]
        return (scope[VIEWER_SCOPE_KEY], preference, method, payload)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        return await self._execute(request_adapter.method, context, request_data, root_value)

    async def _execute(
        self, method: HTTPMethod, context: Context, request_data: GraphQLRequestData, root_value: None = None
    ) -> ExecutionResult:
        # Subscriptions run over WebSocket only: over plain HTTP strawberry would start one and
        # fail inside it (a masked "Unexpected error."). Refused like any operation type that
        # does not fit the transport (`api.http_errors`).
        allowed = OperationType.from_http(method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError) as error:
            raise http_errors.from_execution(error, method) from error
        finally:
            context.loaders.forget()  # the answer is built: rows need not wait for the collector

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        # strawberry reads `.get` from whatever JSON arrives: `null`, `"x"` or `5` were a 500.
        # An object starts with `{` (an array, `[`, gets strawberry's no-batching answer).
        json_post = request.method == "POST" and "application/json" in (request.content_type or "")
        if json_post and (await request.get_body()).lstrip()[:1] not in (b"{", b"["):
            raise http_errors.TransportError(400, http_errors.BAD_REQUEST, http_errors.NOT_AN_OBJECT)
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and not isinstance(data.operation_name, str | None):
            raise http_errors.TransportError(
                400, http_errors.BAD_REQUEST, http_errors.OPERATION_NAME_NOT_STRING
            )
        return data

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        if isinstance(request, WebSocket):
            # The viewer of a WebSocket comes from `connection_init` (see `on_ws_connect`).
            request.scope.setdefault(VIEWER_SCOPE_KEY, None)
        return await context_for_request(request, self.settings, response, resolve_conflict=resolve_conflict)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        from api.live.ws_auth import authenticate_connection_params

        context.viewer = await authenticate_connection_params(context.connection_params or {})
        return await super().on_ws_connect(context)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        answer = await super().process_result(request, result)
        if not result.errors:
            request.scope[CLEAN_RESULT_KEY] = True  # may be kept by the response cache
        if response_media.is_request_error(result) and request.scope.get(response_media.PREFERENCE_KEY):
            answer.pop("data", None)  # the spec: a request error has no data entry, and is a 400
            request.scope[response_media.REQUEST_ERROR_KEY] = True
        return answer

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql.page(request)  # the same GraphiQL from local files (no CDN): api/graphiql

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)
