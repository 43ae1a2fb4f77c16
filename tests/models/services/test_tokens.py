from models.api_token import ApiToken
from models.enums import Role
from models.services import tokens


async def test_only_a_hash_is_stored_and_the_secret_authenticates(db: str) -> None:
    token, secret = await tokens.create(name="교육지원청", role=Role.PARTNER)
    stored = await ApiToken.get(id=token.id)
    assert secret not in stored.token_hash
    assert stored.token_hash == tokens.hash_secret(secret)
    found = await tokens.authenticate(secret)
    assert found is not None and found.role is Role.PARTNER


async def test_wrong_and_revoked_secrets_do_not_authenticate(db: str) -> None:
    token, secret = await tokens.create(name="staff", role=Role.STAFF)
    assert await tokens.authenticate(secret + "x") is None
    token.revoked_at = token.created_at
    await token.save()
    assert await tokens.authenticate(secret) is None


async def test_authenticate_reads_the_row_tortoise_reads(db: str) -> None:
    from datetime import timedelta

    live, live_secret = await tokens.create(name="기한 있음", role=Role.STAFF, expires_in=timedelta(days=1))
    found = await tokens.authenticate(live_secret)
    stored = await ApiToken.get(id=live.id)
    assert found is not None
    for field in ("id", "name", "role", "token_hash", "created_at", "revoked_at", "expires_at"):
        assert getattr(found, field) == getattr(stored, field), field
    assert found.role is Role.STAFF
    _, expired_secret = await tokens.create(name="만료", role=Role.STAFF, expires_in=timedelta(seconds=-1))
    assert await tokens.authenticate(expired_secret) is None
    await tokens.revoke(live.id)
    assert await tokens.authenticate(live_secret) is None  # the very next check, no cache
