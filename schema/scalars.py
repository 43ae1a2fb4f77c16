"""Custom scalars: `Won`, whole Korean won as a JSON number.

GraphQL `Int` is 32-bit, far too small for city budgets; `Won` is a JSON number that stays exact
up to 2^53 - 1 (what JavaScript clients can hold), and never a float. Sums stay within it too:
the service layer keeps the total allocated over all budget lines at or below 2^53 - 1
(`models.services.budget_lines`), and executed never exceeds allocated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from models.services.validation import MAX_WON

Won = NewType("Won", int)


def _serialize_won(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # PostgreSQL sums arrive as Decimal; they are whole, anything fractional is a bug to surface.
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ValueError(f"Won must be a whole number of won, got {value!r}")


class WonValueError(ValueError):
    """A value that is not whole won; its message is shown to the caller."""


def _parse_won(value: object) -> Won:
    # Booleans are ints in Python and floats may carry fractions: refuse both outright.
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise WonValueError(f"Won must be a whole number of won, got {value!r}")
    if abs(value) > MAX_WON:
        raise WonValueError(f"Won must be within ±{MAX_WON} to stay exact in JSON")
    return Won(value)


WON_SCALAR: ScalarDefinition = strawberry.scalar(
    name="Won",
    description=(
        "Whole Korean won (원) as a JSON number, exact up to 2^53 - 1. Never fractional. "
        "Every sum of Won in this API fits as well: the total allocated over all budget lines, "
        "archived ones included, is kept at or below 2^53 - 1, and executed never exceeds allocated."
    ),
    serialize=_serialize_won,
    parse_value=_parse_won,
)

SCALAR_MAP: dict[object, ScalarDefinition] = {Won: WON_SCALAR}
