"""Pub/sub behind one small interface: in-process (`memory`) or across processes (`redis`)."""

from api.pubsub.base import PubSub
from api.pubsub.factory import create_pubsub
from api.pubsub.fanout import Subscriber, SubscriberLagged
from api.pubsub.memory import MemoryPubSub
from api.pubsub.redis import RedisPubSub

__all__ = ["MemoryPubSub", "PubSub", "RedisPubSub", "Subscriber", "SubscriberLagged", "create_pubsub"]
