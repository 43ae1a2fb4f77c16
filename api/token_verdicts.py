"""Token verdicts reused while the token clock stands: the token check costs no statement of its own.

A verdict (this secret is token N with role R valid until T, or this secret names no active
token) can only change when a row of api_token changes, or when T passes. Every write to
api_token, by any means (the CLI, plain SQL, another process), ticks the token clock in the same
transaction (database triggers, migration 0014_token_clock), and a request reads that clock in
the same statement as the change clock (`models.change_clock.read_both`), before it decides. So
a verdict taken at clock C is reused only while the clock still reads C, and the expiry time is
checked on every use: a revoke is refused on the very next request in every process.

Without a token clock (a database not migrated that far, or its row deleted) nothing is reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cachetools import LRUCache

from api.auth import InvalidCredentials
from models.actor import Actor
from models.enums import ActorKind, Role
from models.services import tokens

VERDICTS_KEPT = 4096  # distinct secrets remembered between two token writes


@dataclass(frozen=True, slots=True)
class Verdict:
    actor: Actor | None  # None: the secret names no active token
    expires_at: datetime | None


class TokenVerdicts:
    """Per process: secret hash -> verdict, all taken at one token clock value."""

    def __init__(self, maxsize: int = VERDICTS_KEPT) -> None:
        self._clock: int | None = None
        self._verdicts: LRUCache[str, Verdict] = LRUCache(maxsize)

    async def actor(self, secret: str, clock: int | None) -> Actor:
        """The active token's actor for `secret` at token clock `clock` (None: no clock, ask the database).

        Raises `InvalidCredentials` when the secret names no active token: never anonymous.
        """
        token_hash = tokens.hash_secret(secret)
        if clock is None or clock != self._clock:
            self._verdicts.clear()  # the clock moved (or is unknown): every verdict may be stale
            self._clock = clock
        verdict = self._verdicts.get(token_hash) if clock is not None else None
        if verdict is None:
            verdict = await _look_up(secret)
            # Another request may have seen the clock move while this one waited: its verdict
            # may be older than that clock, so it is kept only under the clock it was taken at.
            if clock is not None and clock == self._clock:
                self._verdicts[token_hash] = verdict
        if verdict.actor is None:
            raise InvalidCredentials()
        if verdict.expires_at is not None and verdict.expires_at <= datetime.now(UTC):
            raise InvalidCredentials()  # expired since the verdict was taken; no write ticks the clock
        return verdict.actor


async def _look_up(secret: str) -> Verdict:
    token = await tokens.authenticate(secret)
    if token is None:
        return Verdict(None, None)
    actor = Actor(ActorKind.API_TOKEN, token.name, Role(token.role), token_id=token.id)
    return Verdict(actor, token.expires_at)
