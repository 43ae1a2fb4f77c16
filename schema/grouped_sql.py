"""The one GROUP BY statement of a summary: Tortoise builds the filtered inner query, this runs it.

Tortoise writes the joins and WHERE of a filter (the same keywords the record listings use),
and summaries that must add per-program sums up further (over partner kinds, over programs'
attributes) wrap that query in a `WITH` and group it once more, in the same statement. The rows
come back as the driver gives them (no per-row field conversion, not even into a dict); the
summaries turn raw column values into typed fields themselves (`schema.summary_groups`).

    sql, params = statement(BudgetLine.filter(fiscal_year=2025).annotate(n=Count("id")).group_by(
        "funder").values("funder", "n"))
    rows = await fetch(BudgetLine, f"WITH inner_rows AS ({sql}) SELECT ...", params)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cachetools import LRUCache
from pypika_tortoise.functions import Cast
from tortoise.functions import Sum
from tortoise.models import Model
from tortoise.queryset import ValuesQuery

Statement = tuple[str, tuple[Any, ...]]
# A result row read by column name: asyncpg's Record or sqlite3.Row (neither is a Mapping).
Row = Any
# Built statements by engine and what they were built from: Tortoise's query building is a
# pure function of the filter's keywords and the grouping, and costs more than the statement.
_BUILT: LRUCache[tuple[Any, ...], Statement] = LRUCache(maxsize=512)


def frozen(conditions: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Filter keywords as a cache key (lists become tuples; values are enums, numbers, text)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in conditions.items()))


def built(model: type[Model], key: tuple[Any, ...], build: Callable[[], Statement]) -> Statement:
    """`build()`'s statement for `model`'s engine, built once per `key` (all it depends on)."""
    full = (model._meta.db.capabilities.dialect, *key)
    found = _BUILT.get(full)
    if found is None:
        found = _BUILT[full] = build()
    return found


class WholeSum(Sum):
    """`SUM` of an integer column, as a 64-bit integer: PostgreSQL sums bigint as numeric, which
    the driver turns into a Decimal per value (the amounts stay under 2^53, see `Won`)."""

    def _get_function_field(self, field: Any, *default_values: Any) -> Any:
        return Cast(super()._get_function_field(field, *default_values), "BIGINT")


def statement(query: ValuesQuery[Any]) -> Statement:
    """The SQL text and bound parameters Tortoise sends for `query` (placeholders as its engine's)."""
    query.sql()  # builds `query.query` for the chosen database
    sql, params = query.query.get_parameterized_sql()
    return sql, tuple(params)


async def fetch(model: type[Model], sql: str, params: Sequence[Any]) -> Sequence[Row]:
    """Rows of a read on `model`'s database, as the driver returns them: each reads by column
    name (`row["allocated_sum"]`) on both engines. Not copied into dicts: for 500 groups the
    copy costs as much as the driver's own decoding."""
    _, rows = await model._meta.db.execute_query(sql, list(params))
    return rows


def quoted(name: str) -> str:
    """An identifier as both engines read it (names come from code, never from a request)."""
    return '"' + name.replace('"', '""') + '"'


def summed(names: Sequence[str]) -> list[tuple[str, str]]:
    """`SUM(inner_rows.<name>)` of inner integer columns, as 64-bit integers (see `WholeSum`),
    each under its own name."""
    return [(f"CAST(SUM(inner_rows.{quoted(name)}) AS BIGINT)", name) for name in names]


def grouped(select: Sequence[tuple[str, str]], sums: Sequence[tuple[str, str]], source: str) -> str:
    """`SELECT <key>..., <sum>... FROM <source> GROUP BY <key>...`: each pair is an SQL
    expression and the alias the row keeps it under (no keys: one grand total row)."""
    columns = ", ".join(f"{expression} AS {quoted(alias)}" for expression, alias in (*select, *sums))
    group_by = ", ".join(expression for expression, _ in select)
    return f"SELECT {columns} FROM {source}" + (f" GROUP BY {group_by}" if group_by else "")  # noqa: S608
