"""The settings the schema reads, as a protocol: the composition root passes its own settings in.

`api.settings.Settings` satisfies it; the schema never imports the application's settings, so
whatever builds a schema (the app, a test, a benchmark) says which limits apply.
"""

from __future__ import annotations

from typing import Protocol


class SchemaSettings(Protocol):
    """Protective limits and what the schema tells callers about itself."""

    @property
    def max_query_depth(self) -> int: ...
    @property
    def max_aliases(self) -> int: ...
    @property
    def max_query_tokens(self) -> int: ...
    @property
    def max_list_length(self) -> int: ...
    @property
    def default_page_size(self) -> int: ...
    @property
    def max_page_size(self) -> int: ...
    @property
    def introspection(self) -> bool: ...
    @property
    def field_suggestions(self) -> bool: ...
