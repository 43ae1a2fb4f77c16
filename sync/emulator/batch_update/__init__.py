"""``spreadsheets.batchUpdate``: one handler per request kind, all-or-nothing; imports only sync.emulator.

``dispatch`` holds the table of request kinds and the rollback; each other module handles one
family of requests (sheets, dimensions, cells, text, ...) and reports a bad request by raising
``RequestError``, which the dispatcher turns into Google's ``Invalid requests[i].kind`` error.
"""

from .dispatch import apply

__all__ = ["apply"]
