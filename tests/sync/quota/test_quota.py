"""The shared budget keeps any minute under Google's 60 requests per user."""

from __future__ import annotations

from sync.quota import TokenBucket, shared_bucket


class FakeClock:
    """Time that moves only when the bucket sleeps, so the test is exact and instant."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sent: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_no_sixty_second_window_holds_more_than_the_budget() -> None:
    clock = FakeClock()
    bucket = TokenBucket(per_minute=50, capacity=10, clock=clock, sleep=clock.sleep)
    for _ in range(300):
        await bucket.acquire()
        clock.sent.append(clock.now)
    busiest = max(sum(1 for t in clock.sent if start <= t < start + 60) for start in clock.sent)
    assert busiest < 60
    assert clock.now >= (300 - 10) * 60 / 50 - 1e-6  # it really waited for the refill


def test_the_budget_is_shared_per_credential() -> None:
    assert shared_bucket("sa@example") is shared_bucket("sa@example")
    assert shared_bucket("sa@example") is not shared_bucket("other@example")
