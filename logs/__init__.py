"""logs: the log format and the request id on every record; imports nothing of ours, any layer uses it."""
