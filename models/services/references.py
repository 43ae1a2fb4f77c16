"""Reference cells follow renames.

A program shows its school by code (`school_code`) and a budget line its program (`program_code`).
Those values are derived from the referenced row, so renaming a school changes what every one of
its programs shows without touching their rows. The outbox must still say so: the sync worker,
subscriptions and history only learn of a change from an event. So a rename appends, in the same
transaction and by the same actor, one UPDATE event per referencing record (archived ones too,
since their history and sheet rows show the code as well).

The renamed row is locked by its writer, and every write that points a record at (or away from)
a school or program locks that school or program too, so no reference can appear or disappear
between this look-up and the commit.
"""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model

from models.base import TimestampedRecord
from models.budget_line import BudgetLine
from models.enums import ChangeAction, RecordType
from models.program import Program
from models.services import locking
from models.services.write_scope import WriteScope

Coded = TypeVar("Coded", bound=TimestampedRecord)


async def lock_move(
    scope: WriteScope, model: type[Coded], leaving: int | None, code: str
) -> tuple[Coded | None, Coded | None]:
    """Lock the row a reference leaves (by id, if any) and the live row `code` names, in id order.

    Returns (left row, target row); the target is None when no live row has `code` any more
    (missing, archived, or renamed while we waited for its lock). Locking both keeps them from
    being renamed between reading their codes and the commit.
    """
    if len(code) > model._meta.fields_map["code"].max_length:  # type: ignore[attr-defined]
        # No row holds a code longer than its column (PostgreSQL would refuse the comparison).
        return (await locking.locked(scope, model, leaving) if leaving is not None else None), None
    if leaving is None:  # nothing to order against: one query, re-checked by PostgreSQL after any wait
        query = model.filter(code=code, archived_at=None).using_db(scope.connection).select_for_update()
        return None, await query.first()
    found: list[int] = await model.filter(code=code).using_db(scope.connection).values_list("id", flat=True)  # type: ignore[assignment]
    target_id = found[0] if found else None
    rows = await locking.locked_many(scope, model, [i for i in (leaving, target_id) if i is not None])
    target = rows.get(target_id) if target_id is not None else None
    if target is not None and (getattr(target, "code", None) != code or target.archived_at is not None):
        target = None
    return rows.get(leaving), target


async def school_renamed(scope: WriteScope, school_id: int, old: str, new: str) -> None:
    await cascade(scope, Program, {"school_id": school_id}, RecordType.PROGRAM, "school_code", old, new)


async def program_renamed(scope: WriteScope, program_id: int, old: str, new: str) -> None:
    await cascade(
        scope, BudgetLine, {"program_id": program_id}, RecordType.BUDGET_LINE, "program_code", old, new
    )


async def cascade(
    scope: WriteScope,
    model: type[Model],
    reference: dict[str, int],
    record_type: RecordType,
    field: str,
    old: str,
    new: str,
) -> None:
    query = model.filter(**reference).using_db(scope.connection).order_by("id")
    ids: list[int] = await query.values_list("id", flat=True)  # type: ignore[assignment]
    for record_id in ids:
        await scope.record(record_type, record_id, ChangeAction.UPDATE, {field: [old, new]})
