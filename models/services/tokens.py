"""API tokens: a random secret shown once, stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from models.api_token import ApiToken
from models.enums import Role

TOKEN_PREFIX = "ehub_"  # noqa: S105 (a public prefix that makes leaked tokens greppable)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create(*, name: str, role: Role) -> tuple[ApiToken, str]:
    """Return the stored token and its secret; the secret cannot be recovered later."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(name=name, role=role, token_hash=hash_secret(secret))
    return token, secret


async def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, or None. Hash look-up keeps the comparison constant-time."""
    return await ApiToken.get_or_none(token_hash=hash_secret(secret), revoked_at=None)
