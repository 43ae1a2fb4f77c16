"""The token clock (row 2 of change_clock) moves with every write to api_token, by any means."""

from __future__ import annotations

from datetime import timedelta

from tortoise.connection import get_connection

from models import change_clock
from models.api_token import ApiToken
from models.enums import Role
from models.services import tokens


async def test_the_token_clock_ticks_on_insert_update_and_delete_and_the_change_clock_does_not(
    db: str,
) -> None:
    start = await change_clock.read_both()
    assert start.tokens is not None  # seeded by migration 0014_token_clock
    token, _ = await tokens.create(name="시계 시험", role=Role.STAFF)
    created = await change_clock.read_both()
    assert created.tokens == start.tokens + 1
    await tokens.revoke(token.id)
    revoked = await change_clock.read_both()
    assert revoked.tokens == created.tokens + 1
    # A delete, which no service offers: the trigger still sees it.
    await ApiToken.filter(id=token.id).delete()
    deleted = await change_clock.read_both()
    assert deleted.tokens == revoked.tokens + 1
    assert deleted.changes == start.changes  # token writes are no outbox writes


async def test_an_update_that_matches_no_row_leaves_the_counts_consistent(db: str) -> None:
    await tokens.create(name="시계 시험", role=Role.PARTNER, expires_in=timedelta(days=1))
    before = await change_clock.read_both()
    await ApiToken.filter(id=-1).update(name="없음")
    after = await change_clock.read_both()
    # PostgreSQL's statement trigger fires for zero rows, SQLite's row triggers do not: never fewer.
    assert after.tokens is not None and before.tokens is not None and after.tokens >= before.tokens


async def test_without_the_token_clock_row_there_is_no_token_clock(db: str) -> None:
    kept = (await change_clock.read_both()).tokens
    connection = get_connection("default")
    await connection.execute_script("DELETE FROM change_clock WHERE id = 2")
    try:
        assert (await change_clock.read_both()).tokens is None
        await tokens.create(name="시계 없음", role=Role.STAFF)  # the trigger's UPDATE finds no row
        assert (await change_clock.read_both()).tokens is None  # and does not bring one back
    finally:  # PostgreSQL's test database outlives this test: put the row back as it was
        restore = f"INSERT INTO change_clock (id, count) VALUES (2, {int(kept or 0)})"  # noqa: S608 (an int)
        await connection.execute_script(restore)
