"""Token verdicts are reused only while the token clock stands, and expiry is checked on every use."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from api.auth import InvalidCredentials
from api.token_verdicts import TokenVerdicts
from models import change_clock
from models.api_token import ApiToken
from models.enums import Role
from models.services import tokens


async def _token_clock() -> int:
    clock = (await change_clock.read_both()).tokens
    assert clock is not None
    return clock


async def test_a_verdict_is_reused_while_the_clock_stands_and_dropped_when_it_moves(db: str) -> None:
    token, secret = await tokens.create(name="판정 시험", role=Role.STAFF)
    verdicts = TokenVerdicts()
    clock = await _token_clock()
    actor = await verdicts.actor(secret, clock)
    assert actor is not None and actor.token_id == token.id and actor.role is Role.STAFF
    # Not the service: an update of the row as any other program might make it.
    await ApiToken.filter(id=token.id).update(revoked_at=datetime.now(UTC))
    # Asked at the old clock, the verdict taken at it stands (this is the reuse)...
    assert await verdicts.actor(secret, clock) == actor
    # ...and the clock the revoke moved refuses the token on the very next check.
    moved = await _token_clock()
    assert moved == clock + 1
    with pytest.raises(InvalidCredentials):
        await verdicts.actor(secret, moved)


async def test_unknown_secrets_are_refused_and_without_a_clock_every_check_asks_the_database(db: str) -> None:
    token, secret = await tokens.create(name="판정 시험", role=Role.PARTNER)
    verdicts = TokenVerdicts()
    clock = await _token_clock()
    for _ in range(2):  # the second time from the kept verdict: still refused
        with pytest.raises(InvalidCredentials):
            await verdicts.actor(secret + "x", clock)
    assert (await verdicts.actor(secret, None)).token_id == token.id
    await tokens.revoke(token.id)
    with pytest.raises(InvalidCredentials):
        await verdicts.actor(secret, None)  # no clock: nothing reused


async def test_an_expiry_passes_without_any_write_and_is_still_refused(db: str) -> None:
    _, secret = await tokens.create(name="만료 시험", role=Role.STAFF, expires_in=timedelta(seconds=1))
    verdicts = TokenVerdicts()
    clock = await _token_clock()
    assert (await verdicts.actor(secret, clock)).role is Role.STAFF
    await asyncio.sleep(1.2)
    assert await _token_clock() == clock  # nothing ticked the clock
    with pytest.raises(InvalidCredentials):
        await verdicts.actor(secret, clock)
