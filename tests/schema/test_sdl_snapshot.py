"""The public GraphQL schema is pinned: its SDL must match `sdl_snapshot.txt` byte for byte.

(Plain text rather than `.graphql`, so tools that look for repeated code leave it alone.)

Outside clients rely on every type, field, argument and description; refactors of how the schema
is declared (e.g. the record families) must not move any of them. A deliberate change of the
public schema rewrites the snapshot in the same commit: `.venv/bin/python tests/schema/test_sdl_snapshot.py`.
"""

from __future__ import annotations

from pathlib import Path

from api.settings import Settings
from schema.root import build_schema

SNAPSHOT = Path(__file__).with_name("sdl_snapshot.txt")


def current_sdl() -> str:
    return build_schema(Settings(_env_file=None)).as_str() + "\n"


def test_sdl_matches_the_snapshot() -> None:
    assert current_sdl() == SNAPSHOT.read_text(encoding="utf-8")


if __name__ == "__main__":
    SNAPSHOT.write_text(current_sdl(), encoding="utf-8")
