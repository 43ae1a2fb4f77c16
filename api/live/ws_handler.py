"""The graphql-transport-ws handler of `/graphql`: shared streams, and an end with the token.

Identical subscriptions share one stream (`schema.live.shared_streams`); a connection that
authenticated with a token is watched by the process's `TokenWatch` and closed (4403) once that
token is revoked or expires (`api.live.token_watch`).
"""

from __future__ import annotations

from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from api.live.runtime import token_watch_or_none
from api.live.token_watch import CLOSE_CODE, CLOSE_REASON
from schema.live.shared_streams import SharedStreamsHandler


class TokenBoundHandler(SharedStreamsHandler):
    """graphql-transport-ws (with shared streams) whose connection ends with its token."""

    _watched_token: int | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        viewer = self.context.viewer
        watch = token_watch_or_none()
        if self.connection_acknowledged and viewer is not None and viewer.token_id is not None and watch:
            self._watched_token = viewer.token_id
            watch.watch(viewer.token_id, self)

    async def end_for_token(self) -> None:
        await self.websocket.close(code=CLOSE_CODE, reason=CLOSE_REASON)

    async def shutdown(self) -> None:
        watch = token_watch_or_none()
        if self._watched_token is not None and watch is not None:
            watch.forget(self._watched_token, self)
        await super().shutdown()
