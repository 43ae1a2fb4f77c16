"""Inbox of a shared subscription stream: a stalled subscriber costs bounded memory."""

from __future__ import annotations

import asyncio

import pytest

from pubsub.fanout import SubscriberLagged
from schema.live import shared_streams
from schema.live.shared_streams import Inbox, Signal


async def test_a_latest_value_inbox_keeps_only_the_newest_payload() -> None:
    inbox = Inbox(latest_only=True)
    for payload in ("1", "2", "3"):
        inbox.put(payload)
    inbox.put(Signal.END)
    assert [await inbox.get(), await inbox.get()] == ["3", Signal.END]


async def test_an_event_inbox_keeps_every_event_then_cuts_a_laggard_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shared_streams, "MAX_PENDING", 3)
    inbox = Inbox(latest_only=False)
    for event in ("1", "2", "3", "4", "5"):
        inbox.put(event)
    assert [await inbox.get() for _ in range(3)] == ["1", "2", "3"]
    assert isinstance(await inbox.get(), SubscriberLagged)
    inbox.put("6")  # nothing more for a subscriber that was cut off
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(inbox.get(), 0.05)
