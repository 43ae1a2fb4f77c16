"""The token clock: row 2 of change_clock, ticked by the database itself on every api_token write.

A trigger, not the service (an UPDATE of the seeded row, never an upsert: a deleted row stays
missing and turns reuse off rather than restarting a count a process may have seen), so a token revoked by any means (the CLI, plain SQL, another
process) moves the clock in the same transaction. The web process re-checks a token only when
this clock has moved (`api.auth.TokenVerdicts`): a revoke is refused on the very next request,
in every process. The row is seeded here, with the triggers: a database without it (never
migrated this far) simply re-checks every request.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

TOKEN_CLOCK_ID = 2
_TICK = f"UPDATE change_clock SET count = count + 1 WHERE id = {TOKEN_CLOCK_ID}"
_SEED = f"INSERT INTO change_clock (id, count) VALUES ({TOKEN_CLOCK_ID}, 0) ON CONFLICT (id) DO NOTHING"
_EVENTS = ("INSERT", "UPDATE", "DELETE")

POSTGRES = [
    _SEED,
    "CREATE OR REPLACE FUNCTION api_token_tick() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN {_TICK}; RETURN NULL; END $$",
    "CREATE TRIGGER api_token_tick AFTER INSERT OR UPDATE OR DELETE ON api_token "
    "FOR EACH STATEMENT EXECUTE FUNCTION api_token_tick()",
    # TRUNCATE fires no row or statement trigger of the three above.
    "CREATE TRIGGER api_token_tick_truncate AFTER TRUNCATE ON api_token "
    "FOR EACH STATEMENT EXECUTE FUNCTION api_token_tick()",
]
SQLITE = [
    _SEED,
    *(
        f"CREATE TRIGGER api_token_tick_{event.lower()} AFTER {event} ON api_token BEGIN {_TICK}; END"
        for event in _EVENTS
    ),
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS api_token_tick ON api_token",
    "DROP TRIGGER IF EXISTS api_token_tick_truncate ON api_token",
    "DROP FUNCTION IF EXISTS api_token_tick()",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS api_token_tick_{event.lower()}" for event in _EVENTS]


def _statements(editor: Any, *, postgres: list[str], sqlite: list[str]) -> list[str]:
    return postgres if editor.client.capabilities.dialect == "postgres" else sqlite


async def forward(apps: Any, editor: Any) -> None:
    for statement in _statements(editor, postgres=POSTGRES, sqlite=SQLITE):
        await editor.client.execute_script(statement)


async def backward(apps: Any, editor: Any) -> None:
    for statement in _statements(editor, postgres=POSTGRES_DROP, sqlite=SQLITE_DROP):
        await editor.client.execute_script(statement)
    await editor.client.execute_script(f"DELETE FROM change_clock WHERE id = {TOKEN_CLOCK_ID}")


class Migration(migrations.Migration):
    dependencies = [("models", "0013_program_session")]

    initial = False

    operations = [ops.RunPython(forward, reverse_code=backward)]
