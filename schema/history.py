"""`history(recordId:)`: who or what changed which field of a record, from what to what, and when.

Read straight from the outbox (ChangeEvent), the same stream the sync worker and subscriptions use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.change_event import ChangeEvent as ChangeEventRow
from models.enums import ActorKind, ChangeAction, RecordType
from schema.bounds import row_id
from schema.errors import ClientError
from schema.pagination import Connection, paginate

EVENT_COLUMNS = (
    "id",
    "occurred_at",
    "record_type",
    "record_id",
    "action",
    "changes",
    "actor_kind",
    "actor_name",
    "cycle_id",
)


def camel_case(name: str) -> str:
    """The outbox stores service field names (`school_code`); the API speaks `schoolCode`."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.type(description="One field's change: its old and its new value.")
class FieldChange:
    field: str = strawberry.field(
        description="The field, as named in this API (e.g. `allocated`, `schoolCode`)."
    )
    old_value: JSON | None = strawberry.field(description="Value before the change (null when created).")
    new_value: JSON | None = strawberry.field(description="Value after the change.")


@strawberry.type(description="Who or what made a change.")
class ChangeActor:
    kind: ActorKind = strawberry.field(description="API token holder, the sheet sync, or the system.")
    name: str = strawberry.field(description="The token's name, `sheet-sync`, or the system's name.")


@strawberry.type(description="One committed change to one record, from the audit stream (outbox).")
class ChangeEvent:
    event_id: strawberry.ID = strawberry.field(description="Position in the change stream; later is larger.")
    occurred_at: datetime = strawberry.field(description="When the change was committed (UTC).")
    record_type: RecordType = strawberry.field(description="The kind of record changed.")
    record_id: relay.GlobalID = strawberry.field(description="Global id of the record changed.")
    action: ChangeAction = strawberry.field(description="What the change did.")
    actor: ChangeActor = strawberry.field(description="Who or what made it.")
    changes: list[FieldChange] = strawberry.field(description="Every field that changed, old and new value.")
    cycle_id: int | None = strawberry.field(
        description="The sync cycle that made the change (`syncStatus.recentCycles`, `syncCycleRevert`); "
        "null for changes from the API or the system."
    )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            event_id=strawberry.ID(str(row["id"])),
            occurred_at=row["occurred_at"],
            record_type=row["record_type"],
            record_id=relay.GlobalID(str(row["record_type"]), str(row["record_id"])),
            action=row["action"],
            actor=ChangeActor(kind=row["actor_kind"], name=row["actor_name"]),
            changes=[
                FieldChange(field=camel_case(name), old_value=old, new_value=new)
                for name, (old, new) in row["changes"].items()
            ],
            cycle_id=row.get("cycle_id"),
        )


def record_key(record_id: relay.GlobalID) -> tuple[RecordType, int]:
    """(record type, database id) of a School, Program or BudgetLine global id."""
    pk = row_id(record_id.node_id)
    if record_id.type_name not in set(RecordType) or pk is None:
        raise ClientError(f"`{record_id}` is not the id of a school, program or budget line.")
    return RecordType(record_id.type_name), pk


async def history(
    record_id: relay.GlobalID, *, first: int | None, after: str | None, default: int, maximum: int
) -> Connection[ChangeEvent]:
    """The record's changes, newest first."""
    record_type, pk = record_key(record_id)
    query = ChangeEventRow.filter(record_type=record_type, record_id=pk)
    return await paginate(
        query,
        order=["-id"],
        columns=EVENT_COLUMNS,
        build=ChangeEvent.from_row,
        first=first,
        after=after,
        default=default,
        maximum=maximum,
    )
