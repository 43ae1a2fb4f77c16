"""The committed schema.graphql is the schema the code builds (clients generate types from it)."""

from __future__ import annotations

from pathlib import Path

from api.settings import Settings
from schema.sdl import SDL_FILE_NAME, printed_schema

COMMITTED = Path(__file__).resolve().parents[2] / SDL_FILE_NAME


def test_the_committed_schema_file_is_the_printed_schema() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == printed_schema(Settings()), (
        "schema.graphql is stale: run `eduhub schema print > schema.graphql` and commit it"
    )


def test_no_setting_changes_the_sdl() -> None:
    # One file for every deployment: limits and switches change what is served, not the types.
    tight = Settings(
        max_page_size=7,
        default_page_size=2,
        max_list_length=3,
        max_query_depth=2,
        max_aliases=1,
        introspection=False,
        field_suggestions=False,
    )
    assert printed_schema(tight) == printed_schema(Settings())
