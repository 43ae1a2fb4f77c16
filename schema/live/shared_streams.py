"""Identical subscriptions on one process share one stream: one execution and one JSON encoding
per event, however many subscribers.

A thousand dashboards on `budgetSummary(groupBy: [FUNDER])` already shared the SQL of a change
(`schema.live.shared`), but strawberry still executed the selection set and encoded the result once
per subscriber. Here subscriptions with the same document, variables, operation name and access
(`schema.permissions.access_of`) are served by one `SharedStream`: it starts with the first
subscriber, stops when the last one leaves, encodes each result once, and every subscriber gets
that payload in a frame with its own operation id.

The subscription field says whether it shares and what a late joiner gets first (`metadata=`):

- `LATEST`: each result is the whole current value; a joiner gets the newest one at once.
- `EVENTS`: each result is one event; a joiner gets the events after it joined.

Everything else runs for its subscriber alone, exactly as strawberry runs it: unmarked fields,
queries and mutations over WebSocket, documents that do not parse, and a shared operation whose
stream fails before its first result (a validation or permission error) — every subscriber then
runs it itself, so each gets strawberry's own error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
import functools
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Final, Protocol, runtime_checkable

import orjson
from graphql import FieldNode, GraphQLError, OperationType, get_operation_ast, parse
from strawberry.schema import BaseSchema
from strawberry.schema.schema import SubscriptionResult
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import NextMessagePayload
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

from pubsub.fanout import DEFAULT_MAX_PENDING as MAX_PENDING
from pubsub.fanout import SubscriberLagged
from schema.context import Context
from schema.loaders import Loaders
from schema.permissions import access_of

SHARING: Final = "eduhub.shared_stream"
LATEST: Final = {SHARING: "latest"}
EVENTS: Final = {SHARING: "events"}


class Signal(enum.Enum):
    END = "the stream finished"
    RUN_ALONE = "the stream failed before its first result: run the operation alone"


Item = str | Signal | Exception
"""What a subscriber's inbox holds: an encoded `next` payload, a signal, or the stream's failure."""


class Inbox:
    """One subscriber's items not yet sent, bounded so a stalled client cannot exhaust memory.

    A `LATEST` subscriber needs only the newest value: a payload replaces a pending one. An
    `EVENTS` subscriber MAX_PENDING items behind is cut off (`SubscriberLagged`), as a pub/sub
    listener is.
    """

    def __init__(self, *, latest_only: bool) -> None:
        self._items: deque[Item] = deque()
        self._latest_only = latest_only
        self._ready = asyncio.Event()
        self._ended = False

    def put(self, item: Item) -> None:
        if self._ended:
            return
        if self._latest_only and isinstance(item, str) and self._items and isinstance(self._items[-1], str):
            self._items[-1] = item
        elif len(self._items) < MAX_PENDING:
            self._items.append(item)
        else:
            self._items.append(SubscriberLagged("subscriber fell behind its shared stream and was dropped"))
            self._ended = True
        self._ready.set()

    async def get(self) -> Item:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()


class SharedStream:
    """One running subscription and the inboxes of everyone listening to it."""

    def __init__(
        self,
        results: Callable[[], Awaitable[SubscriptionResult]],
        encode: Callable[[object], str],
        *,
        replay: bool,
        forget: Callable[[SharedStream], None],
    ) -> None:
        self._inboxes: set[Inbox] = set()
        self._latest: str | None = None
        self._replay = replay
        self._forget = forget
        self._task = asyncio.create_task(self._run(results, encode), name="shared-stream")

    def add(self) -> Inbox:
        inbox = Inbox(latest_only=self._replay)
        if self._latest is not None:
            inbox.put(self._latest)
        self._inboxes.add(inbox)
        return inbox

    async def remove(self, inbox: Inbox) -> None:
        self._inboxes.discard(inbox)
        if not self._inboxes:
            self._forget(self)
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(
        self, results: Callable[[], Awaitable[SubscriptionResult]], encode: Callable[[object], str]
    ) -> None:
        try:
            async with aclosing(await results()) as stream:
                async for result in stream:
                    if isinstance(result, PreExecutionError):  # strawberry yields one only first
                        self._finish(Signal.RUN_ALONE)
                        return
                    payload = encode(next_payload(result))
                    self._latest = payload if self._replay else None
                    self._send(payload)
            self._finish(Signal.END)
        except Exception as error:
            self._finish(error)
        finally:
            self._forget(self)

    def _send(self, item: Item) -> None:
        for inbox in self._inboxes:
            inbox.put(item)

    def _finish(self, item: Item) -> None:
        # Forgotten in the same step: nobody can join after the last item and wait forever.
        self._send(item)
        self._forget(self)


class SharedStreams:
    """The shared streams running for one GraphQL view, by operation and access."""

    def __init__(self) -> None:
        self._running: dict[Hashable, SharedStream] = {}

    def __len__(self) -> int:
        return len(self._running)

    @contextlib.asynccontextmanager
    async def listen(
        self,
        key: Hashable,
        results: Callable[[], Awaitable[SubscriptionResult]],
        encode: Callable[[object], str],
        *,
        replay: bool,
    ) -> AsyncIterator[Inbox]:
        """An inbox on the stream for `key`, started with `results()` if none runs."""
        stream = self._running.get(key)
        if stream is None:
            forget = functools.partial(self._forget, key)
            stream = self._running[key] = SharedStream(results, encode, replay=replay, forget=forget)
        inbox = stream.add()
        try:
            yield inbox
        finally:
            await stream.remove(inbox)

    def _forget(self, key: Hashable, stream: SharedStream) -> None:
        if self._running.get(key) is stream:
            del self._running[key]


@runtime_checkable
class TextSocket(Protocol):
    """A WebSocket adapter that sends a ready-made text frame."""

    async def send_text(self, text: str) -> None: ...


class SharedStreamsHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws where identical subscriptions share one `SharedStream`.

    The view sets it as `graphql_transport_ws_handler_class`, owns a `shared_streams`
    (`SharedStreams`) and uses a WebSocket adapter with `send_text` (`TextSocket`).
    """

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        shared = self._shared(operation)
        if shared is None:
            await super().run_operation(operation)
            return
        streams, key, replay = shared
        try:
            alone = await self._relay(operation, streams, key, replay=replay)
        except Exception as error:  # as strawberry does: log, complete, forget, re-raise
            await self.handle_task_exception(error)
            with contextlib.suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
            raise
        if alone:
            await super().run_operation(operation)

    def _shared(self, operation: Operation[Context, None]) -> tuple[SharedStreams, Hashable, bool] | None:
        """The view's streams, this operation's key and whether joiners get the latest value."""
        streams = getattr(self.view, "shared_streams", None)
        if not isinstance(streams, SharedStreams) or not isinstance(self.websocket, TextSocket):
            return None
        # Odd payloads (a query that is no string...) get strawberry's own answer, alone.
        if not (
            isinstance(operation.query, str)
            and isinstance(operation.operation_name, str | None)
            and isinstance(operation.variables, dict | None)
        ):
            return None
        tokens = self.context.settings.max_query_tokens
        sharing = _sharing(self.schema, operation.query, operation.operation_name, tokens)
        if sharing is None:
            return None
        variables = orjson.dumps(operation.variables or {}, option=orjson.OPT_SORT_KEYS)
        key = (operation.query, variables, operation.operation_name, access_of(self.context.viewer))
        return streams, key, sharing == LATEST[SHARING]

    async def _relay(
        self, operation: Operation[Context, None], streams: SharedStreams, key: Hashable, *, replay: bool
    ) -> bool:
        """Send the shared payloads as this operation's; True when it must run alone instead."""
        assert isinstance(self.websocket, TextSocket)
        head = '{"id":' + self.view.encode_json_string(operation.id) + ',"type":"next","payload":'
        async with streams.listen(
            key, functools.partial(self._subscribe, operation), self.view.encode_json_string, replay=replay
        ) as inbox:
            while isinstance(item := await inbox.get(), str):
                await self.websocket.send_text(head + item + "}")
        if isinstance(item, Exception):
            raise item
        if item is Signal.RUN_ALONE:
            return True
        await operation.send_operation_message({"id": operation.id, "type": "complete"})
        return False

    async def _subscribe(self, operation: Operation[Context, None]) -> SubscriptionResult:
        # The stream outlives this connection: keep its viewer, not its socket or its token.
        context = dataclasses.replace(
            self.context, loaders=Loaders(cache=False), request=None, response=None, connection_params=None
        )
        return await self.schema.subscribe(
            operation.query,
            variable_values=operation.variables,
            context_value=context,
            root_value=self.root_value,
            operation_name=operation.operation_name,
        )


def next_payload(result: ExecutionResult) -> NextMessagePayload:
    """The payload of a `next` message, as strawberry's `Operation.send_next` builds it."""
    payload: NextMessagePayload = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


def _sharing(schema: BaseSchema, query: str, operation_name: str | None, max_tokens: int) -> str | None:
    """`latest`/`events` for a subscription of one marked field, else None (run it alone)."""
    name = _subscribed_field(query, operation_name, max_tokens)
    if name is None or schema.subscription is None:
        return None
    for field in schema.subscription.__strawberry_definition__.fields:
        if schema.config.name_converter.get_graphql_name(field) == name:
            sharing: str | None = field.metadata.get(SHARING)
            return sharing
    return None


@functools.lru_cache(maxsize=256)
def _subscribed_field(query: str, operation_name: str | None, max_tokens: int) -> str | None:
    """The one root field a subscription document selects, else None."""
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.SUBSCRIPTION:
        return None
    selections = operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        return None
    return selections[0].name.value
