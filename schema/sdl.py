"""The schema as SDL, the text clients generate their types from (the committed schema.graphql).

Settings change limits and what is served (introspection, GraphiQL), never the SDL, so every
deployment serves this one text; a test holds the committed file to it.
"""

from __future__ import annotations

from schema.root import build_schema
from schema.settings import SchemaSettings

SDL_FILE_NAME = "schema.graphql"  # at the repository root, beside pyproject.toml


def printed_schema(settings: SchemaSettings) -> str:
    """The SDL of the schema, newline-terminated as a file."""
    return build_schema(settings).as_str() + "\n"
