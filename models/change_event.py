"""The outbox: one row per committed change, read by the sync worker, subscriptions and history."""

from tortoise import fields
from tortoise.models import Model

from models.enums import ActorKind, ChangeAction, RecordType


class ChangeEvent(Model):
    # A monotonically increasing id is the stream position consumers keep as their cursor.
    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    record_type = fields.CharEnumField(RecordType, max_length=30)
    record_id = fields.IntField()
    action = fields.CharEnumField(ChangeAction, max_length=10)
    # {field: [old, new]} in API terms (money as int, enums as their names).
    changes: dict[str, list[object]] = fields.JSONField(default=dict)
    actor_kind = fields.CharEnumField(ActorKind, max_length=20)
    actor_name = fields.CharField(max_length=100)
    # The sync cycle that wrote this change (models.sync_cycle); null for every other writer.
    cycle_id = fields.IntField(null=True, db_index=True)

    class Meta:
        table = "change_event"
        ordering = ["id"]
        indexes = (("record_type", "record_id"),)


class ChangeClock(Model):
    """Rows counting committed write transactions: the response cache's exact freshness test.

    Every write scope that appends to the outbox bumps one of them (`models.change_clock`: the
    count is the sum of every row but the token clock's) inside its own transaction, so a reader
    who sees the same count twice knows nothing committed in between, in any process. (The
    outbox's max id cannot say so on PostgreSQL: a lower id may commit after a higher one.)
    """

    id = fields.IntField(primary_key=True)
    count = fields.BigIntField(default=0)

    class Meta:
        table = "change_clock"
