"""What every mutation shares: `UserError`, global-id look-ups, `Maybe` inputs and the write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import Info, relay
from strawberry.types.maybe import Some
from tortoise.models import Model

from models.actor import Actor
from models.errors import ErrorCode, RecordNotFound, ValidationFailed
from models.errors import UserError as ModelUserError
from models.services.write_scope import WriteScope, write_scope
from schema.bounds import column_length, row_id
from schema.enums import _described
from schema.history import camel_case

T = TypeVar("T")

_described(
    ErrorCode,
    "Stable code of a business error; the message says the same in Korean.",
    {
        "REQUIRED": "A value is missing (값을 입력해야 합니다).",
        "INVALID": "The value has the wrong form, e.g. a code with spaces.",
        "TOO_LONG": "The text is longer than allowed.",
        "OUT_OF_RANGE": "The number is outside the allowed range.",
        "DUPLICATE_CODE": "Another record already has this code.",
        "UNKNOWN_SCHOOL": "No live school has this school code.",
        "UNKNOWN_PROGRAM": "No live program has this program code.",
        "NEGATIVE_AMOUNT": "An amount below zero won.",
        "EXECUTED_OVER_ALLOCATED": "The executed amount would exceed the budget current (예산현액).",
        "NOT_FOUND": "No record has this id or code.",
        "ARCHIVED": "The record is archived (or already archived).",
        "IN_USE": "Live records still depend on this one; archive or move them first.",
        "ALREADY_REVERTED": "The sync cycle was reverted already; a cycle is reverted once.",
        "CYCLE_RUNNING": "The sync cycle is still running; it can be reverted once it has ended.",
        "DISBURSED_OVER_BUDGET": "The disbursed amount would exceed the budget current (예산현액).",
        "CARRIED_OVER_UNSPENT": "The carried-over amount would exceed what is unspent (집행 잔액).",
        "STAGE_NOT_ALLOWED": "That stage is set only by settling (carry-over or closing the year).",
        "SETTLED": "The budget line is settled (정산); its figures no longer change.",
        "YEAR_CLOSED": "The fiscal year is closed (마감); a year is closed once.",
        "UNKNOWN_AGREEMENT": "No live agreement or supplementary agreement has this code.",
        "OUTSIDE_TERM": "The fiscal year lies outside the agreement's term (협약 기간).",
        "SHARE_SUM_MISMATCH": "The funders' shares do not add up to the allocation's total.",
        "DUPLICATE": "Given twice (a funder's share), or a live record already holds this key.",
    },
)


@strawberry.type(description="A business error the caller can fix: which input field, what is wrong, a code.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase); null: the whole input."
    )
    message: str = strawberry.field(description="What is wrong, in Korean, for the person who entered it.")
    code: ErrorCode = strawberry.field(description="Stable code to branch on.")

    @classmethod
    def from_model(cls, error: ModelUserError) -> UserError:
        return cls(field=error.field, message=error.message, code=error.code)


def not_found(field: str, what: str) -> UserError:
    return UserError(field=field, message=f"{what}을(를) 찾을 수 없습니다.", code=ErrorCode.NOT_FOUND)


class Refused(Exception):
    """Stops a write with user errors (raised inside the write, so nothing is committed)."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass
class Outcome(Generic[T]):
    """What a write produced: the record, or the errors that stopped it."""

    record: T | None
    errors: list[UserError]


def node_pk(global_id: relay.GlobalID | None, type_name: str, field: str = "id") -> int:
    """The database id inside a global id of `type_name`; refuses ids of other types.

    An id no row can have (beyond 32 bits, digits other than 0-9) is not found, never sent.
    """
    pk = None if global_id is None or global_id.type_name != type_name else row_id(global_id.node_id)
    if pk is None:
        raise Refused([not_found(field, f"{type_name} id")])
    return pk


async def locate(
    model: type[Model],
    scope: WriteScope,
    *,
    global_id: relay.GlobalID | None,
    code: str | None,
    type_name: str,
) -> Any:
    """The row addressed by global id or (for schools and programs) by code; exactly one of them."""
    if (global_id is None) == (code is None):
        raise Refused(
            [
                UserError(
                    field="id", message="id 또는 code 중 하나만 지정해야 합니다.", code=ErrorCode.REQUIRED
                )
            ]
        )
    if code is not None and len(code) > column_length(model, "code"):
        raise Refused([not_found("code", type_name)])  # no row holds a code longer than its column
    query = model.filter(id=node_pk(global_id, type_name)) if global_id else model.filter(code=code)
    row = await query.using_db(scope.connection).first()
    if row is None:
        raise Refused([not_found("id" if global_id else "code", type_name)])
    return row


def present_fields(values: Any, names: Iterable[str], *, nullable: Iterable[str] = ()) -> dict[str, Any]:
    """{service field: value} for the `Maybe` inputs that were given; null for a required field is an error.

    `absent` leaves a field alone; `null` clears it where that means something (a program's school).
    """
    changes: dict[str, Any] = {}
    errors: list[UserError] = []
    allowed_null = set(nullable)
    for name in names:
        given = getattr(values, name)
        if given is None:
            continue
        value = given.value if isinstance(given, Some) else given
        if value is None and name not in allowed_null:
            errors.append(
                UserError(field=camel_case(name), message="값을 입력해야 합니다.", code=ErrorCode.REQUIRED)
            )
        changes[name] = value
    if errors:
        raise Refused(errors)
    return changes


async def perform(info: Info, work: Callable[[WriteScope], Awaitable[T]]) -> Outcome[T]:
    """Run `work` in one transaction as the viewer; business errors become `userErrors`."""
    actor: Actor = info.context.viewer
    try:
        async with write_scope(actor) as scope:
            record = await work(scope)
    except ValidationFailed as failure:
        return Outcome(None, [UserError.from_model(e) for e in failure.errors])
    except RecordNotFound as missing:
        return Outcome(None, [not_found("id", missing.record_type)])
    except Refused as refused:
        return Outcome(None, refused.errors)
    return Outcome(record, [])


def row_values(row: Model, columns: Iterable[str]) -> dict[str, Any]:
    """A model instance as the plain dict the API types are built from."""
    return {column: getattr(row, column) for column in columns}
