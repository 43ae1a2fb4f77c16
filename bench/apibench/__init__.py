"""Parts of `bench/api.py`: data, cases, the hand-written peer, servers and the load generator."""
