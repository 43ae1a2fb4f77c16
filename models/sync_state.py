"""Sync bookkeeping: merge bases, conflicts, bad cells, cursors and the leader lease."""

from typing import Any

import orjson
from tortoise import fields
from tortoise.models import Model

from models.enums import RecordType


class CellValueField(fields.JSONField):  # type: ignore[type-arg]
    """Any JSON value, text included, stored wrapped as {"v": value}.

    Tortoise reads a str given to a plain JSONField as JSON text, so a cell value such as ""
    or "abc" could not be stored as itself; the wrapper keeps every value exact.
    """

    def to_db_value(self, value: Any, instance: Any) -> str | None:
        return orjson.dumps({"v": value}).decode()

    def to_python_value(self, value: Any) -> Any:
        if isinstance(value, (str, bytes)):
            try:
                decoded = orjson.loads(value)
            except orjson.JSONDecodeError:
                return value
            if isinstance(decoded, dict) and set(decoded) == {"v"}:
                return decoded["v"]
            return value
        if isinstance(value, dict) and set(value) == {"v"}:
            return value["v"]
        return value


class SyncedRow(Model):
    """One record's row in a tab and the last-synced value of every field (the merge base)."""

    id = fields.IntField(primary_key=True)
    spreadsheet_key = fields.CharField(max_length=200)
    tab = fields.CharField(max_length=100)
    record_type = fields.CharEnumField(RecordType, max_length=30)
    record_id = fields.IntField()
    # The value of the sheet's ID column: the row identity that survives sorts and inserts.
    row_key = fields.CharField(max_length=64)
    snapshot: dict[str, object] = fields.JSONField(default=dict)
    # The database changed but the row was held back (bad cell, held delete): merge it next cycle
    # even though no new change event names it.
    pending = fields.BooleanField(default=False)
    # The developer-metadata token on the record's row (sync.anchors): how writes find the row.
    # None for a row synced before anchors existed, until the worker has anchored it.
    anchor = fields.CharField(max_length=64, null=True)
    # False from the transaction that decides to append the record until a read finds its row.
    placed = fields.BooleanField(default=True)
    synced_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sync_row"
        unique_together = (
            ("spreadsheet_key", "tab", "row_key"),
            ("spreadsheet_key", "record_type", "record_id"),
        )


class SyncConflict(Model):
    """Both sides changed one field differently, and both values are kept."""

    id = fields.IntField(primary_key=True)
    spreadsheet_key = fields.CharField(max_length=200)
    tab = fields.CharField(max_length=100)
    record_type = fields.CharEnumField(RecordType, max_length=30)
    record_id = fields.IntField()
    field = fields.CharField(max_length=50)
    base_value: object = CellValueField(null=True)
    sheet_value: object = CellValueField(null=True)
    database_value: object = CellValueField(null=True)
    applied_side = fields.CharField(max_length=10, description="SHEET or DATABASE")
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True, db_index=True)
    resolved_by = fields.CharField(max_length=100, null=True)
    resolution = fields.CharField(max_length=10, null=True)

    class Meta:
        table = "sync_conflict"


class SyncIssue(Model):
    """A problem a person must fix in the sheet (bad cell, duplicate ID, held mass delete)."""

    id = fields.IntField(primary_key=True)
    spreadsheet_key = fields.CharField(max_length=200)
    tab = fields.CharField(max_length=100)
    row_number = fields.IntField(null=True)
    column = fields.CharField(max_length=100, null=True)
    row_key = fields.CharField(max_length=64, null=True)
    value = fields.TextField(default="")
    code = fields.CharField(max_length=40)
    problem = fields.TextField(description="Korean, for the person who typed the value")
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "sync_issue"


class SyncCursor(Model):
    """Per spreadsheet: how far the worker has read the outbox and how the last cycle went."""

    spreadsheet_key = fields.CharField(max_length=200, primary_key=True)
    last_event_id = fields.BigIntField(default=0)
    drive_version = fields.CharField(max_length=40, null=True)
    last_cycle_at = fields.DatetimeField(null=True)
    last_success_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    # When a cycle last changed either side (the 요약 tab shows it; idle cycles leave it alone).
    last_change_at = fields.DatetimeField(null=True)
    # Cell notes the worker has put on the sheet, keyed by tab, row ID and field, so it can clear them.
    notes: dict[str, str] = fields.JSONField(default=dict)
    # Event ids below last_event_id not yet seen (PostgreSQL may commit them out of order):
    # id -> when first missed. Read again until they appear or expire.
    event_gaps: dict[str, str] = fields.JSONField(default=dict)
    # Per mapped tab name, the tab's sheetId and title when last read: a renamed tab is followed.
    tab_ids: dict[str, dict[str, Any]] | None = fields.JSONField(null=True)

    class Meta:
        table = "sync_cursor"


class SyncLease(Model):
    """Leader lease: one worker syncs a spreadsheet at a time while others stand by."""

    name = fields.CharField(max_length=200, primary_key=True)
    holder = fields.CharField(max_length=200)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "sync_lease"


class QuotaBucket(Model):
    """The Sheets request budget of one credential, shared by every process that uses it."""

    name = fields.CharField(max_length=200, primary_key=True, description="the credential's identity")
    tokens = fields.FloatField(description="requests that may be sent at updated_at")
    # Seconds since the epoch, not a datetime: the refill is computed inside one UPDATE, and
    # float arithmetic is the same SQL on SQLite and PostgreSQL.
    updated_at = fields.FloatField(description="seconds since the epoch")

    class Meta:
        table = "quota_bucket"
