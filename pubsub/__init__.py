"""Pub/sub transport for every layer: in-process (`memory`) or Redis (`redis`); imports only models.errors."""

from pubsub.base import PubSub
from pubsub.factory import create_pubsub
from pubsub.fanout import Subscriber, SubscriberLagged
from pubsub.memory import MemoryPubSub
from pubsub.redis import RedisPubSub

__all__ = ["MemoryPubSub", "PubSub", "RedisPubSub", "Subscriber", "SubscriberLagged", "create_pubsub"]
