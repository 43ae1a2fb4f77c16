"""`pending`: hand a loader's future back from a sync resolver."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar, cast

T = TypeVar("T")


def pending(awaitable: Awaitable[T]) -> T:
    """Typed as the value: graphql-core awaits whatever a resolver returns, sync or not.

    Resolvers that usually have their data at hand (`schema.prefetch`) stay sync, which saves
    graphql-core a coroutine and a gather per record, and fall back to a DataLoader like this.
    """
    return cast(T, awaitable)
