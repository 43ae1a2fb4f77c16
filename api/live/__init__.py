"""A process's live wiring: outbox bridge, token watch, wake relay; imports schema, sync, pubsub, models."""
