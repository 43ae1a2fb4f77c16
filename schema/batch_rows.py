"""The rows a DataLoader batch needs: `WHERE column = ANY($1)` on PostgreSQL, Tortoise elsewhere.

A batch of 500 keys through Tortoise is `IN ($1, ..., $500)`: a statement text per batch size,
one bound parameter per key, and every row turned into a dict field by field in Python. On
PostgreSQL one array parameter carries all the keys (one statement text, prepared once by
asyncpg) and rows come back as asyncpg records; only the enum columns are converted, so the
values equal what `QuerySet.values()` gives on both engines (enum members, aware datetimes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from tortoise.fields.data import CharEnumFieldInstance
from tortoise.models import Model

_SQL_LOG = logging.getLogger("tortoise.db_client")


async def rows_where_in(
    model: type[Model],
    columns: Sequence[str],
    column: str,
    keys: Sequence[int] | Sequence[str],
    *,
    order: str,
    live_only: bool,
) -> list[dict[str, Any]]:
    """Rows of `model` whose `column` is one of `keys` (ids or codes), in `order` (archived ones
    left out if asked)."""
    client = model._meta.db
    if client.capabilities.dialect != "postgres":
        conditions: dict[str, Any] = {f"{column}__in": list(keys)}
        if live_only:
            conditions["archived_at__isnull"] = True
        rows: list[dict[str, Any]] = await model.filter(**conditions).order_by(order).values(*columns)
        return rows
    array = "text[]" if keys and isinstance(keys[0], str) else "int[]"
    sql = _any_sql(model._meta.db_table, tuple(columns), column, array, order, live_only)
    _SQL_LOG.debug("%s: %s", sql, [keys])  # as Tortoise logs its statements (tests count them)
    async with client.acquire_connection() as connection:
        records = await connection.fetch(sql, list(keys))
    return converted(model, tuple(columns), [dict(record) for record in records])


def converted(
    model: type[Model], columns: tuple[str, ...], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """`rows` (dicts of `model`'s raw column values) with their enum columns as enum members, in
    place, so they equal what `QuerySet.values()` gives."""
    for name, convert in _enum_converters(model, columns):
        for row in rows:
            value = row[name]
            if value is not None:
                row[name] = convert(value)
    return rows


@cache
def _any_sql(
    table: str, columns: tuple[str, ...], column: str, array: str, order: str, live_only: bool
) -> str:
    # Names come from the models and schema.records, never from a request.
    selected = ", ".join(f'"{name}"' for name in columns)
    live = ' AND "archived_at" IS NULL' if live_only else ""
    return f'SELECT {selected} FROM "{table}" WHERE "{column}" = ANY($1::{array}){live} ORDER BY "{order}"'  # noqa: S608


@cache
def _enum_converters(model: type[Model], columns: tuple[str, ...]) -> list[tuple[str, Callable[[Any], Any]]]:
    converters: list[tuple[str, Callable[[Any], Any]]] = []
    for name in columns:
        field = model._meta.fields_map.get(name)
        if isinstance(field, CharEnumFieldInstance):
            converters.append((name, field.enum_type))
    return converters
