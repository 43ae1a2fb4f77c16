# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword arguments is typed as returning Any)
"""The list and look-up queries of a record family, built from one `Listing` declaration.

`connection(listing)` is the family's paginated list (`schools(filter:, orderBy:, first:,
after:)`), `by_code(listing, ...)` its look-up by code (`school(code:)`). Resolvers are made
here at runtime, so every family lists the same way: one statement a page, text arguments
checked against their columns first; the descriptions follow from the declaration.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from graphql import FieldNode
from strawberry import Info
from tortoise.models import Model

from schema import prefetch
from schema.batch_rows import rows_where_in
from schema.bounds import check_length
from schema.ordering import order_terms
from schema.pagination import Connection, paginate
from schema.permissions import CanReadRestricted

First = Annotated[
    int | None, strawberry.argument(description="Page size (default 20, at most the server's cap, 100).")
]
After = Annotated[str | None, strawberry.argument(description="Return records after this cursor.")]
# Keeps the records of a page in the request's DataLoaders, for nested fields that ask again.
Remember = Callable[[Any, Iterable[Any]], None]
# Loads, along with the records, the children the query selects under them (`schema.prefetch`).
Children = Callable[[Info, list[Any], list[FieldNode]], Awaitable[None]]


@dataclass(frozen=True)
class Listing:
    """One family's records as queries see them: rows of `row` matching a filter, in an order."""

    row: type[Model]
    record: type[Any]  # the Strawberry record type (`from_row`)
    columns: tuple[str, ...]
    filter: type[Any]
    conditions: Callable[[Any], dict[str, Any]]  # filter -> Tortoise keywords
    order: type[Any]
    default_order: str

    @property
    def label(self) -> str:
        """E.g. "budget line", as texts name one record."""
        return "".join(f" {c.lower()}" if c.isupper() else c for c in self.record.__name__).strip()


def page_limits(info: Info) -> dict[str, int]:
    settings = info.context.settings
    return {"default": settings.default_page_size, "maximum": settings.max_page_size}


def connection(
    listing: Listing,
    *,
    restricted: bool = False,
    remember: Remember | None = None,
    children: Children | None = None,
) -> Any:
    """The paginated list field; `restricted` ones need a token (and are null without one)."""

    async def resolve(
        info: Info, filter: Any = None, order_by: Any = None, first: Any = None, after: Any = None
    ) -> Any:
        page = await paginate(
            listing.row.filter(**listing.conditions(filter)),
            order=order_terms(order_by, listing.default_order),
            columns=listing.columns,
            build=listing.record.from_row,
            first=first,
            after=after,
            **page_limits(info),
        )
        if remember is not None:
            remember(info.context.loaders, page.nodes())
        if children is not None:
            await children(info, page.nodes(), prefetch.connection_records(info))
        return page

    plural = f"{listing.label}s"
    page = Connection[listing.record]  # type: ignore[name-defined]
    resolve.__annotations__ = {
        "info": Info,
        "filter": Annotated[listing.filter | None, strawberry.argument(description=f"Which {plural}.")],
        "order_by": Annotated[
            list[listing.order] | None,  # type: ignore[name-defined]
            strawberry.argument(description="Ordering keys, first wins."),
        ],
        "first": First,
        "after": After,
        "return": page | None if restricted else page,
    }
    order = f"default: by {listing.default_order}"
    if restricted:
        description = f"Live {plural}, filtered and ordered ({order}). Needs a token."
        return strawberry.field(
            resolver=resolve, description=description, permission_classes=[CanReadRestricted]
        )
    description = f"{plural.capitalize()}, filtered and ordered ({order}), one page at a time."
    return strawberry.field(resolver=resolve, description=description)


def by_code(listing: Listing, argument: str, *, children: Children | None = None) -> Any:
    """The look-up by code: archived records too (they say so in `archivedAt`)."""

    async def resolve(info: Info, code: str) -> Any:
        check_length(code, model=listing.row, column="code", argument="code")
        rows = await rows_where_in(listing.row, listing.columns, "code", [code], order="id", live_only=False)
        if not rows:
            return None
        record = listing.record.from_row(rows[0])
        if children is not None:
            await children(info, [record], prefetch.field_records(info))
        return record

    resolve.__annotations__ = {
        "info": Info,
        "code": Annotated[str, strawberry.argument(description=argument)],
        "return": listing.record | None,
    }
    description = f"The {listing.label} with this code (archived ones too: see `archivedAt`)."
    return strawberry.field(resolver=resolve, description=description)
