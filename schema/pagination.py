# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""Relay cursor connections with `totalCount` and a page-size cap.

Cursors are opaque offsets into the requested ordering (always ending in `id`, so pages are
stable). A page costs one SQL statement; `totalCount` costs one more, only when asked for.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from tortoise.queryset import QuerySet

from schema.errors import ClientError

N = TypeVar("N")
CURSOR_PREFIX = "offset:"
# Offsets this API hands out: ASCII digits, below any table's size (ids are 32-bit) and well
# inside SQLite's and PostgreSQL's 64-bit OFFSET.
MAX_OFFSET = 2**31 - 1
_OFFSET = re.compile(r"[0-9]{1,10}")


@strawberry.type(description="One record in a connection, with the cursor pointing at it.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Pass as `after` to continue after this record.")
    node: N = strawberry.field(description="The record.")


@strawberry.type(description="One page of records, Relay style.")
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The records of this page with their cursors.")
    page_info: relay.PageInfo = strawberry.field(description="Where this page sits in the whole list.")
    _count_query: strawberry.Private[QuerySet[Any]]

    @strawberry.field(description="The records of this page, without cursors.")
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many records match the filter, over all pages.")
    async def total_count(self) -> int:
        return await self._count_query.count()


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The offset a cursor points at; a clear error for cursors this API did not hand out."""
    try:
        text = base64.b64decode(cursor.encode("utf-8", "surrogatepass"), validate=True).decode()
    except (binascii.Error, ValueError):
        text = ""
    digits = text.removeprefix(CURSOR_PREFIX)
    if text.startswith(CURSOR_PREFIX) and _OFFSET.fullmatch(digits) and int(digits) <= MAX_OFFSET:
        return int(digits)
    raise ClientError(f"Invalid cursor {cursor!r}: pass a cursor from this API's `edges.cursor`.")


def page_bounds(first: int | None, after: str | None, *, default: int, maximum: int) -> tuple[int, int]:
    """(offset, limit) for `first`/`after`; refuses page sizes outside 1..maximum."""
    limit = default if first is None else first
    if not 1 <= limit <= maximum:
        raise ClientError(
            f"`first` must be between 1 and {maximum}; page through larger lists with `after`.",
            extensions={"maxPageSize": maximum},
        )
    offset = 0 if after is None else decode_cursor(after) + 1
    return offset, limit


async def paginate(
    query: QuerySet[Any],
    *,
    order: Sequence[str],
    columns: Sequence[str],
    build: Callable[[dict[str, Any]], N],
    first: int | None,
    after: str | None,
    default: int,
    maximum: int,
) -> Connection[N]:
    """One page of `query` in `order`, as a connection of `build(row)` nodes."""
    offset, limit = page_bounds(first, after, default=default, maximum=maximum)
    # One extra row tells whether another page follows, without a second statement.
    rows = await query.order_by(*order).offset(offset).limit(limit + 1).values(*columns)
    edges = [Edge(cursor=encode_cursor(offset + i), node=build(row)) for i, row in enumerate(rows[:limit])]
    page_info = relay.PageInfo(
        has_next_page=len(rows) > limit,
        has_previous_page=offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=page_info, _count_query=query)
