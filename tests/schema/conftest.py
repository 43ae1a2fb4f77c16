"""Fixtures for schema tests (the helpers themselves are in schema_kit.py)."""

from __future__ import annotations

import pytest

from tests.schema.schema_kit import Run, WorldFactory, build_world, runner


@pytest.fixture
def make_world(db: str) -> WorldFactory:
    """Build a world on the test's database (both engines)."""
    return build_world


@pytest.fixture
def run(db: str) -> Run:
    """Execute an operation as a viewer ("anonymous", "partner", "staff", "admin" or an Actor)."""
    return runner(db)
