"""A document with several operations must name the one to run (GraphQL spec, `GetOperation`).

strawberry runs the first operation instead when `operationName` is missing, and over GET checks
only that first one's type. This refuses the request as strawberry refuses an unknown name (its
`CannotGetOperationTypeError`): HTTP answers 400 OPERATION_RESOLUTION_FAILURE
(`api.http_errors`), a WebSocket subscription closes with 4400.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError


class RequireOperationName(SchemaExtension):
    """Refuse `query A {...} query B {...}` sent without `operationName`.

    Example: `strawberry.Schema(query=Query, extensions=[RequireOperationName])`.
    """

    def on_parse(self) -> Iterator[None]:
        yield
        context = self.execution_context
        document = context.graphql_document
        # `operation_name` falls back to the first operation's name; only the request's own counts.
        provided: str | None = getattr(context, "_provided_operation_name", None)
        if provided is None and document is not None:
            operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
            if operations > 1:
                raise CannotGetOperationTypeError(None)
