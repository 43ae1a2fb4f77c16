"""What tests that run `eduhub` as real processes share: a fresh PostgreSQL database and the CLI."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

from tests.conftest import POSTGRES_ADMIN_DSN

EDUHUB = str(Path(sys.executable).with_name("eduhub"))


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (its `postgres://` URL), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def run_eduhub(env: dict[str, str], *args: str) -> str:
    """`eduhub ARGS` to completion; its stdout, or a failed test naming the command and its output."""
    done = subprocess.run([EDUHUB, *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"eduhub {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout
