"""The load generator and the server-side meters of `bench/api.py`.

A Python asyncio client (aiohttp, keep-alive) with N connections, each sending its cycle of
bodies back to back for a fixed time. Meters read the server's own /proc entries (CPU time,
peak RSS).
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field

import aiohttp

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class LoadResult:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    cpu_seconds: float = 0.0
    statements: float = float("nan")  # per request, from the counting pass

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_seconds / max(1, len(self.latencies))


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
                    result.latencies.append(time.perf_counter() - sent)
                else:
                    result.errors += 1

        await asyncio.gather(*(client(cycle) for cycle in bodies))
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = cpu_seconds(pid) - cpu_before
    return result


async def sequential(url: str, bodies: list[bytes], headers: dict[str, str], requests: int) -> None:
    """`requests` requests one after another on one connection (the counting pass)."""
    headers = {"Content-Type": "application/json", **headers}
    async with aiohttp.ClientSession() as session:
        for turn in range(requests):
            status, content = await send(session, url, bodies[turn % len(bodies)], headers)
            if status != 200:
                raise SystemExit(f"{url} answered {status} while counting: {content[:300]!r}")
