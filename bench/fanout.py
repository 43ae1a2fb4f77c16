"""Fan-out of one change to N WebSocket subscribers on one web process.

Starts `eduhub web` (SQLite, in-process pub/sub; `--redis` to fan out through Redis instead) in a
subprocess, opens N graphql-transport-ws connections each subscribed to
`budgetSummary(groupBy: [FUNDER])`, then changes one budget line R times through the GraphQL
mutation. For every round it records when each subscriber received the new figures.

Printed per N (N=1 is the baseline measured in the same run):
- mutation round trip (client sends -> HTTP answer; the commit happens inside it)
- first and last delivery after the mutation's answer arrived ("commit to delivery" as seen
  from outside), p50 and p95 over rounds; and p50/p95 over every single delivery.

Loopback only, bounded (each round times out), stops by itself. The subscribers run in this one
Python process, so at 1,000 the client side's own scheduling is part of the figure.

Usage: python bench/fanout.py [--rounds 20] [--sizes 1,100,1000] [--redis]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.live.client import PROTOCOL
from sync.emulator.server import free_port

EDUHUB = str(Path(sys.executable).with_name("eduhub"))
SUBSCRIPTION = "subscription { budgetSummary(groupBy: [FUNDER]) { keys { value } executed } }"
ROUND_TIMEOUT = 30.0


def _eduhub(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([EDUHUB, *args], env=env, capture_output=True, text=True, timeout=300, check=True)
    return done.stdout


class Subscriber:
    """One connection; records the arrival time of every pushed result after the first."""

    def __init__(self, socket_: ClientConnection) -> None:
        self.socket = socket_
        self.arrivals: list[float] = []
        self.ready = asyncio.Event()

    async def run(self) -> None:
        await self.socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
        await self.socket.recv()  # connection_ack
        await self.socket.send(
            orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}).decode()
        )
        async for raw in self.socket:
            message = orjson.loads(raw)
            if message.get("type") == "next":
                if self.ready.is_set():
                    self.arrivals.append(time.perf_counter())
                else:
                    self.ready.set()  # the initial figures: subscribed from here on


async def _measure(
    url: str, token: str, line_id: str, size: int, rounds: int, value: list[int]
) -> dict[str, Any]:
    ws_url = url.replace("http://", "ws://") + "/graphql"
    sockets = [await connect(ws_url, subprotocols=[PROTOCOL], max_size=2**22) for _ in range(size)]
    subscribers = [Subscriber(s) for s in sockets]
    tasks = [asyncio.create_task(s.run()) for s in subscribers]
    await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in subscribers)), ROUND_TIMEOUT * 4)
    trips: list[float] = []
    firsts: list[float] = []
    lasts: list[float] = []
    every: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=ROUND_TIMEOUT) as client:
        for round_ in range(rounds):
            value[0] += 1_000  # a new executed amount every round, so every round pushes
            for s in subscribers:
                s.arrivals.clear()
            sent = time.perf_counter()
            response = await client.post(
                "/graphql",
                json={
                    "query": "mutation($i: BudgetLineUpdateInput!) { budgetLineUpdate(input: $i) "
                    "{ userErrors { message } } }",
                    "variables": {"i": {"id": line_id, "executed": value[0]}},
                },
                headers={"Authorization": f"Bearer {token}"},
            )
            answered = time.perf_counter()
            assert response.json()["data"]["budgetLineUpdate"]["userErrors"] == [], response.text
            deadline = answered + ROUND_TIMEOUT
            while any(not s.arrivals for s in subscribers):
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"round {round_}: not every subscriber heard the change")
                await asyncio.sleep(0.0005)
            arrivals = [s.arrivals[0] for s in subscribers]
            trips.append(answered - sent)
            firsts.append(min(arrivals) - sent)
            lasts.append(max(arrivals) - sent)
            every.extend(a - sent for a in arrivals)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    return {"trip": trips, "first": firsts, "last": lasts, "every": every}


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], str, str]:
    """A migrated, seeded SQLite database, a staff token and `eduhub web` serving it."""
    workdir = Path(tempfile.mkdtemp(prefix="eduhub-fanout-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{workdir / 'bench.sqlite3'}",
        "LOG_LEVEL": "WARNING",
        "SHEETS_API_URL": "http://127.0.0.1:9",  # never contacted: no worker in this bench
    }
    if args.redis:
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    else:
        env.pop("REDIS_URL", None)
    _eduhub(env, "migrate")
    _eduhub(env, "seed")
    token = _eduhub(env, "token", "create", "--role", "staff", "--name", "bench").strip().splitlines()[-1]
    server = subprocess.Popen(
        [EDUHUB, "web", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return server, f"http://127.0.0.1:{port}", token


async def _bench(url: str, token: str, args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        for _ in range(300):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        found = await client.post(
            "/graphql",
            json={"query": "{ budgetLines(first: 1) { edges { node { id executed } } } }"},
            headers={"Authorization": f"Bearer {token}"},
        )
    node = found.json()["data"]["budgetLines"]["edges"][0]["node"]
    value = [0]
    backend = "Redis" if args.redis else "in-process"
    print(f"fan-out on one `eduhub web` process ({backend} pub/sub, SQLite), {args.rounds} rounds each")
    print("times in ms from sending the mutation; 'last' = the moment every subscriber had the change")
    print(
        f"{'subscribers':>11} | {'mutation p50':>12} | {'first p50':>9} | {'last p50':>8} | "
        f"{'last p95':>8} | {'each p50':>8} | {'each p95':>8}"
    )
    baseline: float | None = None
    for size in args.sizes:
        result = await _measure(url, token, node["id"], size, args.rounds, value)
        last = _p(result["last"], 0.5)
        baseline = last if baseline is None else baseline
        print(
            f"{size:>11} | {_p(result['trip'], 0.5):>12.1f} | {_p(result['first'], 0.5):>9.1f} | "
            f"{last:>8.1f} | {_p(result['last'], 0.95):>8.1f} | "
            f"{_p(result['every'], 0.5):>8.1f} | {_p(result['every'], 0.95):>8.1f}"
        )
        if size > 1 and baseline is not None:
            print(
                f"{'':>11}   last p50 is {last / baseline:.1f}x the first row, "
                f"{1000 * (last - baseline) / (size - 1):.0f} µs per extra subscriber"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1, 100, 1000])
    parser.add_argument("--redis", action="store_true", help="fan out through Redis (REDIS_URL)")
    args = parser.parse_args()
    server, url, token = _start_server(args)
    try:
        asyncio.run(_bench(url, token, args))
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
