"""Refuse input no database can take, before anything runs: unstorable text and oversized lists.

- Text: PostgreSQL rejects U+0000 in text and asyncpg cannot encode a lone surrogate, while
  SQLite stores both: without this check the same request succeeds on one engine and fails
  with a masked "Unexpected error." on the other.
- Lists: no list argument (filter codes, groupBy, orderBy) may hold more than
  `MAX_LIST_LENGTH` items. The token limit bounds the document only; 40,000 codes in one
  variable would otherwise become 40,000 bound parameters (SQLite stops at 32,766).

Checked once per operation, in the document's literals and in the variables, so every field and
filter is covered, subscriptions included. Either finding is one BAD_USER_INPUT error naming
where the value is (`$.f.codes`, or the line of the literal).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import BREAK, DocumentNode, ListValueNode, StringValueNode, Visitor, visit
from graphql.language import Node
from strawberry.extensions import SchemaExtension

from models.services.validation import UNSTORABLE_TEXT
from schema.document_cache import TextCache, cacheable
from schema.errors import ClientError

UNSTORABLE_MESSAGE = "저장할 수 없는 문자(U+0000 또는 짝이 없는 서로게이트)가 들어 있습니다: {where}"
LIST_MESSAGE = "목록에 값이 너무 많습니다: {where} (최대 {limit}개)"
DEFAULT_MAX_LIST_LENGTH = 200


def unsafe_variable(value: object, path: str, max_list_length: int) -> str | None:
    """The message for the first unstorable string or oversized list in `value`, if any."""
    if isinstance(value, str):
        return UNSTORABLE_MESSAGE.format(where=path) if UNSTORABLE_TEXT.search(value) else None
    if isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        if len(value) > max_list_length:
            return LIST_MESSAGE.format(where=path, limit=max_list_length)
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
        found = unsafe_variable(item, where, max_list_length)
        if found is not None:
            return found
    return None


def _line(node: Node) -> str:
    line = node.loc.source.get_location(node.loc.start).line if node.loc else "?"
    return f"줄 {line}"


class _LiteralFinder(Visitor):
    def __init__(self, max_list_length: int) -> None:
        super().__init__()
        self.max_list_length = max_list_length
        self.found: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: object) -> object:
        if UNSTORABLE_TEXT.search(node.value):
            self.found = UNSTORABLE_MESSAGE.format(where=f"문자열 값 ({_line(node)})")
            return BREAK
        return None

    def enter_list_value(self, node: ListValueNode, *_: object) -> object:
        if len(node.values) > self.max_list_length:
            self.found = LIST_MESSAGE.format(where=f"목록 값 ({_line(node)})", limit=self.max_list_length)
            return BREAK
        return None


def unsafe_literal(document: DocumentNode, max_list_length: int = DEFAULT_MAX_LIST_LENGTH) -> str | None:
    """The message for the first unstorable string literal or oversized list literal, if any."""
    finder = _LiteralFinder(max_list_length)
    visit(document, finder)
    return finder.found


class RefuseUnsafeInput(SchemaExtension):
    """A BAD_USER_INPUT error instead of an engine-dependent failure; nothing is executed.

    Example: `RefuseUnsafeInput(max_list_length=200)`, or through `functools.partial` as a
    schema extension factory (`schema.root.limit_extensions`).
    """

    def __init__(
        self, *, max_list_length: int = DEFAULT_MAX_LIST_LENGTH, literals: TextCache[str | None] | None = None
    ) -> None:
        self.max_list_length = max_list_length
        # The literal check is a pure function of the query text: a schema shares one cache.
        self.literals = literals

    # Listed after DocumentCache, which validates on entering this hook; strawberry reads the
    # errors before leaving it, so the check must also run on entering.
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        valid = context.pre_execution_errors is not None and not context.pre_execution_errors
        if valid and context.graphql_document is not None:
            found = self._literal_finding(context.query, context.graphql_document) or unsafe_variable(
                context.variables or {}, "$", self.max_list_length
            )
            if found is not None:
                context.pre_execution_errors = [ClientError(found)]
        yield

    def _literal_finding(self, query: str | None, document: DocumentNode) -> str | None:
        if self.literals is None or not cacheable(query):
            return unsafe_literal(document, self.max_list_length)
        return self.literals.get(
            (query, self.max_list_length), lambda: unsafe_literal(document, self.max_list_length)
        )
