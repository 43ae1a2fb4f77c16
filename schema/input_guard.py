"""Refuse text no database can store (U+0000, unpaired surrogates) before anything runs.

PostgreSQL rejects U+0000 in text and asyncpg cannot encode a lone surrogate, while SQLite
stores both: without this check the same request succeeds on one engine and fails with a
masked "Unexpected error." on the other. Checked once per operation, in the document's string
literals and in the variables, so every field and filter is covered, subscriptions included.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import BREAK, DocumentNode, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension

from models.services.validation import UNSTORABLE_TEXT
from schema.errors import ClientError

UNSTORABLE_MESSAGE = "저장할 수 없는 문자(U+0000 또는 짝이 없는 서로게이트)가 들어 있습니다: {where}"


def unstorable_variable(value: object, path: str) -> str | None:
    """The path of the first string in `value` that holds an unstorable character, if any."""
    if isinstance(value, str):
        return path if UNSTORABLE_TEXT.search(value) else None
    if isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = unstorable_variable(item, f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]")
        if found is not None:
            return found
    return None


class _LiteralFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: object) -> object:
        if UNSTORABLE_TEXT.search(node.value):
            line = node.loc.source.get_location(node.loc.start).line if node.loc else "?"
            self.found = f"문자열 값 (줄 {line})"
            return BREAK
        return None


def unstorable_literal(document: DocumentNode) -> str | None:
    """Where the first string literal holding an unstorable character is, if any."""
    finder = _LiteralFinder()
    visit(document, finder)
    return finder.found


class RefuseUnstorableText(SchemaExtension):
    """A BAD_USER_INPUT error instead of an engine-dependent failure; nothing is executed."""

    # Listed after ValidationCache, which validates on entering this hook; strawberry reads the
    # errors before leaving it, so the check must also run on entering.
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        valid = context.pre_execution_errors is not None and not context.pre_execution_errors
        if valid and context.graphql_document is not None:
            where = unstorable_literal(context.graphql_document) or unstorable_variable(
                context.variables or {}, "$"
            )
            if where is not None:
                context.pre_execution_errors = [ClientError(UNSTORABLE_MESSAGE.format(where=where))]
        yield
