"""A response cache for `/graphql` reads that is never stale.

An answer is kept under (viewer, accepted media type, HTTP method, request body or query
string) together with the change clock (`models.change_clock`) read *before* it was computed.
It is served again only while the clock still reads the same: no write transaction has
committed since, in this process or any other, whether from a mutation, a sheet edit the worker
applied or a script. So a write is visible to the very next read everywhere, and the cost of a
hit is one indexed single-row read instead of the query.

Only operations whose every root field reads data that moves only with the outbox are kept
(`CACHEABLE_ROOT_FIELDS`): `syncStatus`, `syncIssues`, `conflicts` and `node` (which may reach
sync state) change without an outbox event and always run. Answers with errors are not kept
(an error may be transient). Memory is bounded in bytes (an LRU from cachetools, chosen because
it is the ecosystem's well-kept LRU with size accounting).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import orjson
from cachetools import LRUCache
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    parse,
)
from graphql.language import FragmentDefinitionNode, SelectionSetNode

from api.metrics import HitCounters
from schema.document_cache import TextCache

CACHEABLE_ROOT_FIELDS = frozenset(
    {
        "schools",
        "programs",
        "budgetLines",
        "school",
        "program",
        "partners",
        "partner",
        "budgetSummary",
        "history",
        "__typename",
    }
)
DECISIONS_KEPT = 2048  # distinct query texts whose cacheability is remembered
REQUESTS_KEPT = 4096  # distinct request payloads whose decision is remembered (a hit parses no JSON)
MAX_REMEMBERED_PAYLOAD = 4096  # bytes; a larger one is decided afresh (at most 16 MB remembered)


@dataclass(frozen=True, slots=True)
class Readable:
    """A cacheable operation; its name (the document's own when the request names none) labels metrics."""

    operation_name: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    clock: int
    body: bytes
    headers: list[tuple[bytes, bytes]]  # the ASGI response headers, ready to send
    counted: HitCounters  # the metrics a hit on it counts in

    def messages(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The two ASGI messages of the answer (status 200: only clean answers are kept).

        The headers are a fresh list each time: the entry is shared by every hit, and an ASGI
        middleware may add to the list it is given in place (Starlette's middleware copies it
        first; others need not)."""
        return (
            {"type": "http.response.start", "status": 200, "headers": list(self.headers)},
            {"type": "http.response.body", "body": self.body},
        )


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self._entries: LRUCache[tuple[Any, ...], Entry] = LRUCache(max_bytes, getsizeof=_size)
        self._decisions = TextCache[Readable | None](DECISIONS_KEPT)
        self._requests = TextCache[Readable | None](REQUESTS_KEPT)
        self.max_entry_bytes = max(1, max_bytes // 8)  # one huge answer must not evict all others

    def lookup(self, key: tuple[Any, ...], clock: int) -> Entry | None:
        entry = self._entries.get(key)
        return entry if entry is not None and entry.clock == clock else None

    def store(
        self, key: tuple[Any, ...], clock: int, body: bytes, content_type: str, counted: HitCounters
    ) -> None:
        if len(body) <= self.max_entry_bytes:
            headers = [
                (b"content-type", content_type.encode("latin-1")),
                (b"content-length", b"%d" % len(body)),
            ]
            self._entries[key] = Entry(clock, body, headers, counted)

    def readable_request(
        self, method: str, content_type: str | None, body: bytes, query_string: bytes
    ) -> Readable | None:
        """`readable` of a request's operation (see `request_fields`), remembered per payload, so
        a repeated request is decided without parsing its JSON."""

        def decide() -> Readable | None:
            fields = request_fields(method, content_type, body, query_string)
            return self.readable(*fields) if fields is not None else None

        payload = body if method == "POST" else query_string
        if len(payload) > MAX_REMEMBERED_PAYLOAD:
            return decide()
        json_post = method == "POST" and (content_type or "").startswith("application/json")
        return self._requests.get((method, json_post, payload), decide)

    def readable(self, query: str, operation_name: str | None) -> Readable | None:
        """The operation when it only reads outbox-backed data, else None (decided once per text)."""
        return self._decisions.get(
            (query, operation_name), lambda: _reads_only_outbox_data(query, operation_name)
        )

    def clear(self) -> None:
        self._entries.clear()


def request_fields(
    method: str, content_type: str | None, body: bytes, query_string: bytes
) -> tuple[str, str | None] | None:
    """(query, operationName) of a single GraphQL request, or None when it is not one.

    A POST counts only with a JSON content type: the rest strawberry refuses, and an answer
    from the cache must never skip a refusal.
    """
    if method == "POST" and not (content_type or "").startswith("application/json"):
        return None
    if method == "GET":
        params = parse_qs(query_string.decode("latin-1"))
        query = params.get("query", [None])[0]
        name = params.get("operationName", [None])[0]
    else:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        query, name = data.get("query"), data.get("operationName")
    if not isinstance(query, str) or not isinstance(name, str | None):
        return None
    return query, name


def _size(entry: Entry) -> int:
    return len(entry.body) + 200  # the key and the entry's own bookkeeping, roughly


def _reads_only_outbox_data(query: str, operation_name: str | None) -> Readable | None:
    try:
        document = parse(query)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation.value != "query" or chosen[0].directives:
        return None
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    if not _root_fields_cacheable(chosen[0].selection_set, fragments, seen=set()):
        return None
    return Readable(chosen[0].name.value if chosen[0].name else None)


def _root_fields_cacheable(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> bool:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value not in CACHEABLE_ROOT_FIELDS:
                return False
        elif isinstance(selection, InlineFragmentNode):
            if not _root_fields_cacheable(selection.selection_set, fragments, seen):
                return False
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                return False  # a cycle or a missing fragment: validation will refuse it anyway
            if not _root_fields_cacheable(fragments[name].selection_set, fragments, seen | {name}):
                return False
    return True
