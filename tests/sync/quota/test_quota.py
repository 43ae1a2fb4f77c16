"""The budget keeps any minute under Google's 60 requests per user, across processes too."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from pathlib import Path

import pytest

from models.sync_state import QuotaBucket
from sync.quota import DatabaseTokenBucket, TokenBucket

ROOT = Path(__file__).resolve().parents[3]
START = 1_800_000_000.0  # wall-clock seconds, like time.time()


class FakeClock:
    """Time that moves only when a bucket sleeps, so the test is exact and instant."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now
        self.sent: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)  # let the other "process" run meanwhile


async def no_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds}s with tokens left")


def busiest_minute(sent: list[float]) -> int:
    return max(sum(1 for t in sent if start <= t < start + 60) for start in sent)


def within_budget(sent: list[float], start: float, *, capacity: float, per_minute: float) -> bool:
    """Never more than ``capacity`` + the refill since ``start`` spent by any moment."""
    return all(n <= capacity + (t - start) * per_minute / 60 + 1e-6 for n, t in enumerate(sorted(sent), 1))


async def test_no_sixty_second_window_holds_more_than_the_budget() -> None:
    clock = FakeClock()
    bucket = TokenBucket(per_minute=50, capacity=10, clock=clock, sleep=clock.sleep)
    for _ in range(300):
        await bucket.acquire()
        clock.sent.append(clock.now)
    assert busiest_minute(clock.sent) < 60
    assert clock.now >= (300 - 10) * 60 / 50 - 1e-6  # it really waited for the refill


async def test_two_processes_take_turns_on_one_budget(db: str) -> None:
    clock = FakeClock(START)
    a, b = (
        DatabaseTokenBucket("sa@example", per_minute=50, capacity=10, clock=clock, sleep=clock.sleep)
        for _ in range(2)
    )
    for i in range(120):
        await (a if i % 2 else b).acquire()
        clock.sent.append(clock.now)
    assert busiest_minute(clock.sent) < 60
    assert within_budget(clock.sent, START, capacity=10, per_minute=50)
    # Exact, not merely slow: the last request went out as soon as the shared refill allowed.
    assert clock.now == pytest.approx(START + (120 - 10) * 60 / 50, abs=1e-6)


async def test_two_processes_at_once_never_overspend(db: str) -> None:
    clock = FakeClock(START)
    buckets = [
        DatabaseTokenBucket("sa@example", per_minute=50, capacity=10, clock=clock, sleep=clock.sleep)
        for _ in range(2)
    ]

    async def spend(bucket: DatabaseTokenBucket) -> None:
        for _ in range(40):
            await bucket.acquire()
            clock.sent.append(clock.now)

    await asyncio.gather(*(spend(b) for b in buckets))
    assert len(clock.sent) == 80
    assert within_budget(clock.sent, START, capacity=10, per_minute=50)


async def test_different_credentials_have_their_own_budget(db: str) -> None:
    clock = FakeClock(START)
    for name in ("sa@example", "other@example"):
        bucket = DatabaseTokenBucket(name, capacity=3, clock=clock, sleep=no_sleep)
        for _ in range(3):
            await bucket.acquire()
    assert await QuotaBucket.all().order_by("name").values_list("name", "tokens") == [
        ("other@example", 0.0),
        ("sa@example", 0.0),
    ]


async def test_a_new_process_continues_from_the_stored_budget(db: str) -> None:
    clock = FakeClock(START)
    first = DatabaseTokenBucket("sa@example", per_minute=60, capacity=10, clock=clock, sleep=no_sleep)
    for _ in range(4):
        await first.acquire()
    row = await QuotaBucket.get(name="sa@example")
    assert (row.tokens, row.updated_at) == (6.0, START)

    clock.now += 2  # two tokens refilled meanwhile
    later = DatabaseTokenBucket("sa@example", per_minute=60, capacity=10, clock=clock, sleep=no_sleep)
    for _ in range(8):
        await later.acquire()
    waited = DatabaseTokenBucket("sa@example", per_minute=60, capacity=10, clock=clock, sleep=clock.sleep)
    await waited.acquire()
    assert clock.now == pytest.approx(START + 3)
    assert await QuotaBucket.all().count() == 1


async def test_a_clock_behind_the_stored_one_neither_gains_nor_loses(db: str) -> None:
    ahead = FakeClock(START + 10)
    behind = FakeClock(START)
    await DatabaseTokenBucket("sa@example", capacity=5, clock=ahead, sleep=no_sleep).acquire()
    for _ in range(4):
        await DatabaseTokenBucket("sa@example", capacity=5, clock=behind, sleep=no_sleep).acquire()
    row = await QuotaBucket.get(name="sa@example")
    assert (row.tokens, row.updated_at) == (0.0, START + 10)


SPENDER = """
import asyncio, sys, time
from pathlib import Path
from tortoise import Tortoise
from models.db import tortoise_config
from sync.quota import DatabaseTokenBucket

async def main(url, name, go, count):
    await Tortoise.init(config=tortoise_config(url))
    bucket = DatabaseTokenBucket(name, per_minute=1200, capacity=5)
    print("ready", flush=True)
    while not Path(go).exists():
        await asyncio.sleep(0.005)
    sent = []
    for _ in range(int(count)):
        await bucket.acquire()
        sent.append(time.time())
    await Tortoise.close_connections()
    print(" ".join(map(repr, sent)), flush=True)

asyncio.run(main(*sys.argv[1:]))
"""


@pytest.mark.slow
async def test_two_real_processes_share_one_budget(database_url: str, tmp_path: Path) -> None:
    """Two interpreters spend 15 each at 20 a second from a bucket of 5: together, never more."""
    name, go = f"sa-{uuid.uuid4().hex[:8]}@example", tmp_path / "go"
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            SPENDER,
            database_url,
            name,
            str(go),
            "15",
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert await asyncio.wait_for(process.stdout.readline(), timeout=60) == b"ready\n"
        start = time.time()
        go.touch()
        outputs = [await asyncio.wait_for(p.communicate(), timeout=60) for p in processes]
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert [p.returncode for p in processes] == [0, 0]
    sent = [float(t) for out, _ in outputs for t in out.split()]
    assert len(sent) == 30
    assert within_budget(sent, start, capacity=5, per_minute=1200)
