"""A record looked up by its code together with its live children, in one statement (PostgreSQL).

`school(code:) { ... programs { ... } }` reads the school, then its programs: two statements, so
two round trips and two statements' work in the database for the smallest query there is. On
PostgreSQL one LEFT JOIN reads both; each result row holds the parent's columns and one child's
(or NULLs for a parent without children). The rows come back exactly as two `rows_where_in`
calls would give them (the same columns, enum members, order), so the caller seeds the request's
row cache with them and every step reads them as if loaded apart. SQLite keeps two statements:
there a statement is a function call, not a round trip.

    found = await parent_with_children(School, columns, "code", code, Program, child_columns,
                                       "school_id", "code")
    if found is not None:
        parents, children = found
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import Any

from tortoise.models import Model

from schema.batch_rows import converted

_SQL_LOG = logging.getLogger("tortoise.db_client")
CHILD_PREFIX = "child."  # result columns of the child row: "child.<column>" (never a model column)


async def parent_with_children(
    model: type[Model],
    columns: Sequence[str],
    key_column: str,
    key: str,
    child_model: type[Model],
    child_columns: Sequence[str],
    parent_column: str,
    order: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """(the `model` row whose unique `key_column` is `key`, or none, with `columns`; the live
    `child_model` rows pointing at it through `parent_column`, ordered by `order`, with
    `child_columns`), or None where this takes two statements anyway (not PostgreSQL)."""
    client = model._meta.db
    if client.capabilities.dialect != "postgres" or child_model._meta.db is not client:
        return None
    if not model._meta.fields_map[key_column].unique or "id" not in child_columns:
        return None  # several parents: their children would share the rows
    sql = _joined_sql(
        model._meta.db_table,
        tuple(columns),
        key_column,
        child_model._meta.db_table,
        tuple(child_columns),
        parent_column,
        order,
    )
    _SQL_LOG.debug("%s: %s", sql, [key])  # as Tortoise logs its statements (tests count them)
    async with client.acquire_connection() as connection:
        records = await connection.fetch(sql, key)
    if not records:
        return [], []
    parents = [{name: records[0][name] for name in columns}]
    child_names = [(CHILD_PREFIX + name, name) for name in child_columns]
    children = [
        {name: record[result] for result, name in child_names}
        for record in records
        if record[CHILD_PREFIX + "id"] is not None  # the one row of a parent without children
    ]
    return converted(model, tuple(columns), parents), converted(child_model, tuple(child_columns), children)


@cache
def _joined_sql(
    table: str,
    columns: tuple[str, ...],
    key_column: str,
    child_table: str,
    child_columns: tuple[str, ...],
    parent_column: str,
    order: str,
) -> str:
    # Names come from the models and the plan's columns, never from a request.
    selected = ", ".join(
        [f'p."{name}" AS "{name}"' for name in columns]
        + [f'c."{name}" AS "{CHILD_PREFIX}{name}"' for name in child_columns]
    )
    return (
        f'SELECT {selected} FROM "{table}" p'  # noqa: S608
        f' LEFT JOIN "{child_table}" c ON c."{parent_column}" = p."id" AND c."archived_at" IS NULL'
        f' WHERE p."{key_column}" = $1 ORDER BY c."{order}"'
    )
