"""Row locks for read-validate-write inside one `write_scope`.

A write that validates and diffs against a row read outside its transaction, or read without a
lock, can silently overwrite a concurrent write it never saw. So every service write re-reads
its rows here, inside the scope's transaction, with ``SELECT ... FOR UPDATE`` (PostgreSQL): the
lock lasts until the transaction ends, and a concurrent writer of the same row waits and then
reads the committed result. Any unit of work may use these, e.g. the sync worker re-checking the
rows it is about to write::

    async with write_scope(SHEET_SYNC_ACTOR) as scope:
        lines = await locked_many(scope, BudgetLine, plan_ids)  # {id: fresh, locked row}

SQLite: Tortoise runs one connection whose transactions are serialized in-process, and
``select_for_update()`` is a no-op there, so the same calls are simply harmless.

Lock order, so concurrent writers cannot deadlock: named locks (`exclusive`) first, then budget
lines, then programs, then schools; several rows of one model in one `locked_many` call, which
locks them in id order. A unit of work that writes many records should lock each model's rows
up front, in that order, rather than one by one as it goes (`LOCK_ORDER`, for the record types
a sync cycle writes: the worker's applier and a cycle's revert both follow it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from typing import Any, TypeVar

from tortoise.models import Model

from models.enums import RecordType
from models.errors import RecordNotFound
from models.services.write_scope import WriteScope

M = TypeVar("M", bound=Model)

# Children before the records they name; partners after programs, as a program-partner link
# locks them.
LOCK_ORDER = (
    RecordType.PROGRAM_SESSION,
    RecordType.BUDGET_LINE,
    RecordType.PROGRAM,
    RecordType.PARTNER,
    RecordType.SCHOOL,
)


async def locked(scope: WriteScope, model: type[M], record_id: int) -> M | None:
    """The row of `model` with this id, fresh and locked until the scope ends; None if there is none."""
    rows = await _select_locked(scope, model, [record_id])
    return rows[0] if rows else None


async def locked_many(scope: WriteScope, model: type[M], ids: Iterable[int]) -> dict[int, M]:
    """{id: row} for the rows of `model` with these ids, fresh and locked until the scope ends.

    One query; rows are locked in id order, so two scopes locking overlapping sets cannot
    deadlock on each other. Ids without a row are simply absent from the result.
    """
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {row.pk: row for row in await _select_locked(scope, model, wanted)}


async def _select_locked(scope: WriteScope, model: type[M], ids: list[int]) -> list[M]:
    # Written out once per model and engine: building the same SELECT through Tortoise's query
    # builder cost more CPU than the rest of a one-row update (`bench/api.py`, the mutation).
    connection = scope.connection
    pk = f'"{model._meta.db_pk_column}"'
    select = _select_every_column(model)
    if connection.capabilities.dialect != "postgres":
        # SQLite serializes its transactions: a plain read. Placeholders per call, so no
        # statement text is kept for every batch size a sync cycle meets.
        sql = select + f"{pk} IN ({', '.join('?' * len(ids))}) ORDER BY {pk}"
        values: list[Any] = ids
    elif len(ids) == 1:
        sql, values = select + f"{pk} = $1 ORDER BY {pk} FOR UPDATE", ids
    else:
        sql, values = select + f"{pk} = ANY($1) ORDER BY {pk} FOR UPDATE", [ids]
    _, rows = await connection.execute_query(sql, values)
    return [model._init_from_db(**row) for row in rows]


@cache
def _select_every_column(model: type[Model]) -> str:
    """`SELECT <every column of model> FROM <its table> WHERE `, as Tortoise would write it."""
    meta = model._meta
    columns = ", ".join(f'"{column}"' for column in sorted(meta.db_fields))
    return f'SELECT {columns} FROM "{meta.db_table}" WHERE '  # noqa: S608  (the model's own names)


async def require_locked(scope: WriteScope, model: type[M], record_id: int) -> M:
    """Like `locked`, but a missing row is `RecordNotFound` (the API answers NOT_FOUND)."""
    row = await locked(scope, model, record_id)
    if row is None:
        raise RecordNotFound(model.__name__, record_id)
    return row


async def exclusive(scope: WriteScope, name: str) -> None:
    """Hold the lock called `name` until the scope ends, for rules that span many rows.

    A row lock cannot guard a rule over a whole table (two inserts lock nothing in common), so
    such rules take a PostgreSQL transaction-level advisory lock, keyed by a stable hash of the
    name (on SQLite, whose transactions are serialized, nothing to take). The scope remembers it
    in `scope.held`: taking it again returns at once, and while it is held its owner may keep a
    value there that no other transaction can change (e.g. a running total).
    """
    if name in scope.held:
        return
    if scope.connection.capabilities.dialect == "postgres":
        await scope.connection.execute_query("SELECT pg_advisory_xact_lock($1)", [_lock_key(name)])
    scope.held[name] = None


def _lock_key(name: str) -> int:
    # Python's hash() differs per process; every process must agree on the key.
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
