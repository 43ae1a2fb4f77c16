"""What subscriptions share in a process (streams, recomputations, feeds); imports schema, pubsub, models."""
