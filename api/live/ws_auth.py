"""Authenticate a GraphQL WebSocket from its `connection_init` payload.

Clients send `{"type": "connection_init", "payload": {"authorization": "Bearer ehub_..."}}`
(`token` is accepted too). No token means an anonymous viewer; a wrong token closes the
connection with 4403 before any subscription starts, and says why in the close reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from strawberry.exceptions import ConnectionRejectionError

from models.actor import Actor
from models.enums import ActorKind, Role
from models.services import tokens

INVALID_TOKEN_MESSAGE = "토큰이 올바르지 않거나 폐기되었습니다."  # noqa: S105 (a message, not a secret)


def token_from_params(params: Mapping[str, object]) -> str | None:
    """The bearer secret in a `connection_init` payload, or None when it carries none."""
    raw = params.get("authorization", params.get("Authorization", params.get("token")))
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise ConnectionRejectionError({"code": "INVALID_TOKEN", "message": INVALID_TOKEN_MESSAGE})
    scheme, _, rest = raw.partition(" ")
    return rest.strip() if scheme.lower() == "bearer" and rest else raw.strip()


async def authenticate_connection_params(params: Mapping[str, object]) -> Actor | None:
    """The actor behind the payload's token, None for anonymous; raises `ConnectionRejectionError`.

    Call it from the GraphQL view's `on_ws_connect`; strawberry closes the socket with 4403.
    """
    secret = token_from_params(params)
    if secret is None:
        return None
    token = await tokens.authenticate(secret)
    if token is None:
        raise ConnectionRejectionError({"code": "INVALID_TOKEN", "message": INVALID_TOKEN_MESSAGE})
    return Actor(ActorKind.API_TOKEN, token.name, Role(token.role), token_id=token.id)
