"""Publish every committed batch of outbox events on the `changes` channel.

Installed as a commit listener in every process that writes (web processes for mutations, the
worker for sheet edits), so subscribers anywhere hear about a change once it is committed.
"""

from __future__ import annotations

import logging

from models.change_event import ChangeEvent
from models.services.write_scope import CommitListener
from pubsub import PubSub, channels
from schema.live.notices import ChangeNotice, encode_batch

logger = logging.getLogger(__name__)


def change_publisher(pubsub: PubSub) -> CommitListener:
    """A commit listener that publishes the batch; pass it to `add_commit_listener`."""

    async def publish(events: list[ChangeEvent]) -> None:
        notices = [ChangeNotice.from_event(event) for event in events]
        await pubsub.publish(channels.CHANGES, channels.encode(encode_batch(notices)))

    return publish
