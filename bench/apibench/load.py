"""The load generator and the server-side meters of `bench/api.py`.

A Python asyncio client (aiohttp, keep-alive) with N connections, each sending its cycle of
bodies back to back for a fixed time. Meters read the server's own /proc entries (CPU time,
peak RSS).
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

import aiohttp

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class LoadResult:
    seconds: float = 0.0
    requests: int = 0  # answered 200
    errors: int = 0
    cpu_seconds: float = 0.0
    p50: float = float("nan")  # seconds
    p99: float = float("nan")
    statements: float = float("nan")  # per request, from the counting pass

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_seconds / max(1, self.requests)


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process has had since it started."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def send(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> tuple[int, bytes]:
    async with session.post(url, data=body, headers=headers) as response:
        return response.status, await response.read()


async def run(
    url: str, bodies: list[list[bytes]], headers: dict[str, str], *, seconds: float, pid: int
) -> LoadResult:
    """Drive `len(bodies)` connections for `seconds`; meter the server `pid` over the same time."""
    result = LoadResult()
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=len(bodies))
    timeout = aiohttp.ClientTimeout(total=120)
    headers = {"Content-Type": "application/json", **headers}
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        deadline = started + seconds
        cpu_before = cpu_seconds(pid)

        async def client(cycle: list[bytes]) -> None:
            turn = 0
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                status, _ = await send(session, url, cycle[turn % len(cycle)], headers)
                turn += 1
                if status == 200:
                    latencies.append(time.perf_counter() - sent)
                else:
                    result.errors += 1

        await asyncio.gather(*(client(cycle) for cycle in bodies))
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = cpu_seconds(pid) - cpu_before
    latencies.sort()
    result.requests, result.p50, result.p99 = (
        len(latencies),
        _percentile(latencies, 0.5),
        _percentile(latencies, 0.99),
    )
    return result


async def sequential(url: str, bodies: list[bytes], headers: dict[str, str], requests: int) -> None:
    """`requests` requests one after another on one connection (the counting pass)."""
    headers = {"Content-Type": "application/json", **headers}
    async with aiohttp.ClientSession() as session:
        for turn in range(requests):
            status, content = await send(session, url, bodies[turn % len(bodies)], headers)
            if status != 200:
                raise SystemExit(f"{url} answered {status} while counting: {content[:300]!r}")
