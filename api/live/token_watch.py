"""Revoked or expired tokens end their open WebSockets within a second, in every process.

A WebSocket authenticates once, in `connection_init`; without this, its subscriptions would
outlive the token. Every process with live updates keeps its open token-bearing connections by
token id (`TokenWatch`) and closes them with 4403 when

- a message on the `token-revoked` channel names the token: at once, in every process that
  shares the pub/sub (`eduhub token revoke` publishes it through Redis), or
- its check finds the token revoked or expired: one query every `recheck_seconds` (default 0.5 s)
  while such connections are open, for what no message announced: a process without Redis, a
  lost message (Redis pub/sub is fire-and-forget), a row changed by hand, and every expiry.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from models.services import tokens
from pubsub import PubSub, channels

logger = logging.getLogger(__name__)

CLOSE_CODE = 4403
CLOSE_REASON = "토큰이 폐기되었거나 만료되었습니다."  # at most 123 bytes in a close frame
DEFAULT_RECHECK_SECONDS = 0.5


class TokenBound(Protocol):
    """An open connection that must end with its token."""

    async def end_for_token(self) -> None: ...


class TokenWatch:
    """This process's open connections by token id, ended when their token stops authenticating."""

    def __init__(self, *, recheck_seconds: float = DEFAULT_RECHECK_SECONDS) -> None:
        self.recheck_seconds = recheck_seconds
        self._open: dict[int, set[TokenBound]] = {}
        self._checker: asyncio.Task[None] | None = None

    def watch(self, token_id: int, connection: TokenBound) -> None:
        self._open.setdefault(token_id, set()).add(connection)
        if self._checker is None or self._checker.done():
            self._checker = asyncio.create_task(self._check_while_open(), name="token-watch-check")

    def forget(self, token_id: int, connection: TokenBound) -> None:
        connections = self._open.get(token_id)
        if connections is not None:
            connections.discard(connection)
            if not connections:
                del self._open[token_id]

    def watched(self) -> set[int]:
        return set(self._open)

    async def end(self, token_ids: set[int]) -> int:
        """Close every open connection of these tokens; how many were closed."""
        doomed = [c for token_id in token_ids for c in self._open.pop(token_id, set())]
        for connection in doomed:
            with contextlib.suppress(Exception):  # already closing: nothing left to end
                await connection.end_for_token()
        if doomed:
            logger.info(
                "closed %d WebSocket(s) of revoked or expired tokens %s", len(doomed), sorted(token_ids)
            )
        return len(doomed)

    async def listen(self, pubsub: PubSub) -> None:
        """End connections named on the `token-revoked` channel (run for the runtime's lifetime)."""
        async with pubsub.subscribe(channels.TOKEN_REVOKED) as messages:
            async for message in messages:
                try:
                    token_id = int(channels.decode(message)["token"])
                except (ValueError, KeyError, TypeError):
                    logger.warning("ignored a malformed token-revoked message: %.200r", message)
                    continue
                await self.end({token_id})

    async def _check_while_open(self) -> None:
        while self._open:
            await asyncio.sleep(self.recheck_seconds)
            try:
                await self.end(await tokens.inactive_among(self.watched()))
            except Exception:
                # A database hiccup must not stop the watch: the next round asks again.
                logger.exception("token check failed; retrying in %.1f s", self.recheck_seconds)

    async def close(self) -> None:
        checker, self._checker = self._checker, None
        if checker is not None:
            checker.cancel()
            await asyncio.gather(checker, return_exceptions=True)


async def announce_revoked(pubsub: PubSub, token_id: int) -> None:
    """Tell every process sharing `pubsub` that the token is revoked (after the revoke committed)."""
    await pubsub.publish(channels.TOKEN_REVOKED, channels.encode({"token": token_id}))
