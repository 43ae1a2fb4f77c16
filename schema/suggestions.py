"""Hide "Did you mean ...?" hints, which name fields, arguments, types and enum values.

With introspection off, graphql-core's hints would still spell the schema out to anyone who
guesses near a name (`{ schol }` -> "Did you mean 'school' or 'schools'?"). strawberry's own
`disable_field_suggestions` only trims unknown fields; this trims every hint: validation errors
(unknown fields, arguments, types, input fields, enum values in literals) and variable coercion
errors alike. Production leaves it on unless FIELD_SUGGESTIONS=true.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

_HINT = re.compile(r"\s*Did you mean .*?\?(?=$|\s)", re.DOTALL)


def without_hint(message: str) -> str:
    return _HINT.sub("", message)


def _copy_without_hint(error: GraphQLError) -> GraphQLError:
    return GraphQLError(
        without_hint(error.message),
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=error.extensions,
    )


class HideSuggestions(SchemaExtension):
    """Remove suggestion hints from every error message of an operation.

    Example: `strawberry.Schema(query=Query, extensions=[document_cache(), HideSuggestions])`.
    """

    # After DocumentCache, which validates on entering this hook. Its cached errors are shared by
    # every request, so they are copied, never changed.
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors:
            context.pre_execution_errors = [_copy_without_hint(e) for e in context.pre_execution_errors]
        yield

    def on_execute(self) -> Iterator[None]:
        yield
        # Errors of this execution only (variable coercion among them): fresh, changed in place.
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or []:
            error.message = without_hint(error.message)
