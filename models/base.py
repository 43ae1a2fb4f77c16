"""Columns every synced record shares."""

from tortoise import fields
from tortoise.models import Model


class TimestampedRecord(Model):
    """A record with creation/update times and a tombstone instead of hard deletes."""

    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    archived_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        abstract = True
