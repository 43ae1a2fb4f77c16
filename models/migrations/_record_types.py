"""What a migration that adds record types runs: the `record_type` columns widened to them.

Tortoise keeps an enum's choices in the column's description, so every new `RecordType` alters
the three tables that hold one (change events, conflicts, synced rows). On SQLite each of those
AlterFields rebuilds its table and drops its secondary indexes, so the same operations put the
indexes back; PostgreSQL keeps them, and there the statements are no-ops.

Migrations that have run must keep meaning what they meant: never change what this returns for a
given list of names. (The module's leading underscore keeps Tortoise from loading it as a migration.)
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise import fields
from tortoise.migrations import operations as ops
from tortoise.migrations.operations import Operation

from models.enums import RecordType

_TABLES_WITH_A_RECORD_TYPE = ("ChangeEvent", "SyncConflict", "SyncedRow")

# The indexes SQLite's table rebuild loses, as 0001 and 0004 created them.
_INDEXES_LOST_ON_SQLITE = (
    'CREATE INDEX IF NOT EXISTS "idx_change_even_occurre_07fac5" ON "change_event" ("occurred_at")',
    'CREATE INDEX IF NOT EXISTS "idx_change_even_record__d00f3c" '
    'ON "change_event" ("record_type", "record_id")',
    'CREATE INDEX IF NOT EXISTS "idx_sync_confli_resolve_6b9141" ON "sync_conflict" ("resolved_at")',
)


def record_types_widened(names: Sequence[str], *, max_length: int = 20) -> list[Operation]:
    """The operations that let `record_type` hold exactly the record types `names` (in order).

    `max_length` grew to 30 with 0016 ("SupplementaryAgreement" is 22 characters); the default
    keeps what the earlier migrations ran.
    """
    description = "\n".join(f"{name}: {RecordType[name].value}" for name in names)
    altered: list[Operation] = [
        ops.AlterField(
            model_name=model,
            name="record_type",
            field=fields.CharEnumField(description=description, enum_type=RecordType, max_length=max_length),
        )
        for model in _TABLES_WITH_A_RECORD_TYPE
    ]
    rebuilt: list[Operation] = [
        ops.RunSQL(sql, reverse_sql=ops.RunSQL.noop) for sql in _INDEXES_LOST_ON_SQLITE
    ]
    return altered + rebuilt
