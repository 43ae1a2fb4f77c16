"""An education program run under the Hanam agreement, city-wide or at one school."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index

from models.base import TimestampedRecord
from models.enums import ProgramCategory, ProgramStatus

if TYPE_CHECKING:
    from models.school import School


class Program(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=30, unique=True)
    name = fields.CharField(max_length=200)
    category = fields.CharEnumField(ProgramCategory, max_length=40, db_index=True)
    school: fields.ForeignKeyNullableRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="programs", null=True, on_delete=fields.RESTRICT
    )
    school_id: int | None
    fiscal_year = fields.IntField(db_index=True)
    status = fields.CharEnumField(ProgramStatus, max_length=20, default=ProgramStatus.PLANNED)
    description = fields.TextField(default="")

    class Meta:
        table = "program"
        ordering = ["code"]
        # PostgreSQL does not index foreign keys by itself: `school { programs }` and the school
        # filters (schoolCodes, districts, levels, cityWide) look programs up by school_id.
        indexes = (
            Index(fields=("school_id",), name="program_school_id_idx"),
            Index(fields=("status",), name="program_status_idx"),  # the `statuses` filter
        )
