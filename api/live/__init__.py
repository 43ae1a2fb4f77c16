"""Live figures: the outbox-to-pub/sub bridge, WebSocket auth, sync wake-ups and freshness."""
