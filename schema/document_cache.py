"""Parsed documents and their validation results, cached per query text for one schema.

strawberry's `ParserCache` and `ValidationCache` key on what they are given: validation on the
document node and the rule classes. A graphql-core `DocumentNode` is a frozen dataclass whose
hash walks the whole tree, on every request, and limiter extensions that build their rule
classes per request make every key new (5 identical queries, 0 hits). A document is a pure
function of its text and parse options, and a schema's rules are fixed, so the text is the key:
one string hash, which Python keeps on the string.

    schema = strawberry.Schema(query=Query, extensions=[document_cache(maxsize=256)])

Texts longer than `MAX_CACHED_TEXT` are parsed and validated every time: the cache holds at
most `maxsize` small documents, however large the bodies callers send.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from functools import partial
from typing import Any, Generic, TypeVar

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

T = TypeVar("T")
# The dashboard's largest query is about 1 kB; a 1 MiB body of comments is not worth keeping.
MAX_CACHED_TEXT = 16_384


class TextCache(Generic[T]):
    """A small LRU map from a hashable key (built from a query text) to a computed value."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: LRUCache[Hashable, T] = LRUCache(maxsize)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        try:
            return self._entries[key]  # a hit counts as a use (cachetools' LRU)
        except KeyError:
            value = compute()  # may raise (a syntax error): nothing is kept then
            self._entries[key] = value
            return value

    def __len__(self) -> int:
        return len(self._entries)


def cacheable(query: str | None) -> bool:
    return query is not None and len(query) <= MAX_CACHED_TEXT


class DocumentCache(SchemaExtension):
    """Parses and validates each query text once (see the module docstring)."""

    def __init__(self, *, parsed: TextCache[DocumentNode], validated: TextCache[list[GraphQLError]]) -> None:
        self.parsed = parsed
        self.validated = validated

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if cacheable(query):
            assert query is not None
            options = context.parse_options  # MaxTokensLimiter, listed before, has set its limit
            key = (query, *sorted(options.items()))
            context.graphql_document = self.parsed.get(key, lambda: parse(query, **options))
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if cacheable(context.query) and document is not None:
            rules = context.validation_rules  # the same classes on every request (schema.root)
            schema = context.schema._schema
            key = (context.query, *sorted(context.parse_options.items()), rules)
            context.pre_execution_errors = self.validated.get(
                key, lambda: validate_document(schema, document, rules)
            )
        yield


def document_cache(maxsize: int = 256) -> Callable[[], DocumentCache]:
    """The extension factory: one pair of caches shared by every request of one schema."""
    caches: dict[str, Any] = {"parsed": TextCache[DocumentNode](maxsize)}
    caches["validated"] = TextCache[list[GraphQLError]](maxsize)
    return partial(DocumentCache, **caches)
