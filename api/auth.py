"""Who is calling: `Authorization: Bearer <secret>` -> the token's Actor, or None for anonymous.

A header that is present but wrong (unknown secret, revoked token, other scheme) is refused
with `InvalidCredentials`, never downgraded to anonymous: a caller who meant to be someone
must learn that it is not.
"""

from __future__ import annotations

from models.actor import Actor
from models.enums import ActorKind, Role
from models.errors import EduhubError
from models.services import tokens

INVALID_TOKEN_MESSAGE = "토큰이 올바르지 않거나 폐기되었습니다."  # noqa: S105 (a message, not a secret)


class InvalidCredentials(EduhubError):
    """The request carried credentials that name no active token."""

    def __init__(self, message: str = INVALID_TOKEN_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def bearer_secret(authorization: str | None) -> str | None:
    """The secret in an `Authorization` header; None when there is no header at all."""
    if authorization is None or not authorization.strip():
        return None
    scheme, _, secret = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise InvalidCredentials("Authorization 헤더는 'Bearer <토큰>' 형식이어야 합니다.")
    return secret.strip()


async def actor_for_secret(secret: str) -> Actor:
    """The actor behind an API token secret; raises `InvalidCredentials` for unknown or revoked ones."""
    token = await tokens.authenticate(secret)
    if token is None:
        raise InvalidCredentials()
    return Actor(ActorKind.API_TOKEN, token.name, Role(token.role), token_id=token.id)


async def authenticate(authorization: str | None) -> Actor | None:
    """The viewer for an `Authorization` header value: an Actor, or None when anonymous."""
    secret = bearer_secret(authorization)
    return None if secret is None else await actor_for_secret(secret)
