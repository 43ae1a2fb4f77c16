"""A revoke by any means is refused on the very next request in every web process.

Two `eduhub web` processes share one PostgreSQL database, one with the response cache on and
one with it off; both reuse token verdicts while the token clock stands (`api.token_verdicts`).
Each has answered the token's request before, so each holds a verdict. Then the token is
revoked by `eduhub token revoke` (a third process), and another by plain SQL: the request right
after is a 401 on both processes, with no wait in between.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO

import asyncpg
import httpx
import pytest

from sync.emulator.server import free_port
from tests.process_kit import EDUHUB, fresh_database, run_eduhub

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

QUERY = {"query": "query Schools { schools(first: 2) { nodes { code } } }"}


@pytest.fixture
def database_url() -> Iterator[str]:
    with fresh_database("eduhub_tokens") as url:
        yield url


def _create_token(env: dict[str, str], name: str) -> tuple[int, str]:
    lines = run_eduhub(env, "token", "create", "--role", "staff", "--name", name).strip().splitlines()
    number = lines[-2].split("#", 1)[1].split()[0]  # "created staff token #3 for ..."
    return int(number), lines[-1]


@pytest.fixture
async def web(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[list[str], dict[str, str], str]]:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    run_eduhub(env, "migrate")
    run_eduhub(env, "seed")
    processes: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
    try:
        urls = [
            await _serving({**env, "RESPONSE_CACHE": cache}, tmp_path, processes)
            for cache in ("true", "false")
        ]
        yield urls, env, database_url
    finally:
        for process, log in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
            log.close()


def _start(env: dict[str, str], port: int, logs: Path) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    log = (logs / f"web-{port}.log").open("wb")
    return subprocess.Popen([EDUHUB, "web", "--port", str(port)], env=env, stdout=log, stderr=log), log


async def _serving(
    env: dict[str, str], logs: Path, processes: list[tuple[subprocess.Popen[bytes], IO[bytes]]]
) -> str:
    """A web process of ours answering on a free port. Other suites on this machine pick free
    ports too: if one took ours first, our process exits and the port answers for someone else,
    so a port counts only while our process is still alive after it answered."""
    for _ in range(3):
        port = free_port()
        process, log = _start(env, port, logs)
        processes.append((process, log))
        url = f"http://127.0.0.1:{port}"
        await _healthy(url)
        await asyncio.sleep(0.5)  # a process that lost the port has exited by now
        if process.poll() is None:
            return url
    raise AssertionError("no free port stayed ours for a web process")


async def _healthy(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                if (await client.get(f"{url}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never became ready")


async def _statuses(urls: list[str], secret: str, times: int = 1) -> list[int]:
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient() as client:
        return [
            (await client.post(f"{url}/graphql", json=QUERY, headers=headers)).status_code
            for url in urls
            for _ in range(times)
        ]


async def test_a_revoke_from_the_cli_or_from_sql_is_refused_on_the_next_request_everywhere(
    web: tuple[list[str], dict[str, str], str],
) -> None:
    urls, env, database_url = web
    cli_id, cli_secret = _create_token(env, "CLI로 폐기")
    sql_id, sql_secret = _create_token(env, "SQL로 폐기")
    # Twice each: the second answer comes from the verdict each process now holds.
    assert await _statuses(urls, cli_secret, times=2) == [200] * 4
    assert await _statuses(urls, sql_secret, times=2) == [200] * 4

    run_eduhub(env, "token", "revoke", str(cli_id))
    assert await _statuses(urls, cli_secret) == [401, 401]
    assert await _statuses(urls, sql_secret) == [200, 200]  # the other token is unaffected

    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("UPDATE api_token SET revoked_at = now() WHERE id = $1", sql_id)
    finally:
        await connection.close()
    assert await _statuses(urls, sql_secret) == [401, 401]
    refused = await _statuses(urls, cli_secret + "x")
    assert refused == [401, 401]
