"""What the database can hold, checked before an argument reaches SQL.

A value no column can hold must be the caller's readable mistake, never an engine error masked
as "Unexpected error." (PostgreSQL refuses a 21-character code compared with `varchar(20)` and
ids beyond 32 bits; SQLite refuses integers beyond 64 bits; Tortoise refuses both before asking):

- `row_id(text)`: the primary key inside a global id, ASCII digits only (`int("²")` fails and
  `int("٣")` is 3: neither is an id this API issued) and within PostgreSQL's `integer`.
- `check_length(...)`: a filter or look-up string no longer than the column it is compared with.

List lengths are bounded for every argument at once by `schema.input_guard`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tortoise.models import Model

from schema.errors import ClientError

# Every table's primary key is an IntField: PostgreSQL `integer`, 32-bit signed.
MAX_ROW_ID = 2**31 - 1
_ASCII_NUMBER = re.compile(r"[0-9]{1,10}")

TOO_LONG_MESSAGE = "`{argument}` 값이 너무 깁니다: {limit}자 이하여야 합니다({length}자)."


def row_id(text: str) -> int | None:
    """The database id `text` spells, or None when no row can have it."""
    if not _ASCII_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ROW_ID else None


def column_length(model: type[Model], column: str) -> int:
    """The `max_length` of a CharField (the model is the one place that knows it)."""
    limit: int = model._meta.fields_map[column].max_length  # type: ignore[attr-defined]
    return limit


def check_length(
    values: str | Iterable[str] | None, *, model: type[Model], column: str, argument: str
) -> None:
    """Refuse (BAD_USER_INPUT) a string, or any string of a list, longer than `model.column`."""
    if values is None:
        return
    limit = column_length(model, column)
    for value in [values] if isinstance(values, str) else values:
        if len(value) > limit:
            raise ClientError(
                TOO_LONG_MESSAGE.format(argument=argument, limit=limit, length=len(value)),
                extensions={"argument": argument, "maxLength": limit},
            )
