"""A session a program held (운영 실적): when, where or with which partner, how many took part.

Participants are counts by school level only. No student's name, number or contact is ever
stored (개인정보보호법; under-14 data would need a guardian's consent): the sheet mapping
refuses such columns before a value is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index

from models.base import TimestampedRecord

if TYPE_CHECKING:
    from models.partner import Partner
    from models.program import Program

LEVEL_FIELDS = ("elementary", "middle", "high", "special")


class ProgramSession(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="sessions", on_delete=fields.RESTRICT
    )
    program_id: int
    held_on = fields.DateField(db_index=True)
    place = fields.CharField(max_length=200, default="", description="where, when no partner hosts it")
    partner: fields.ForeignKeyNullableRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="sessions", null=True, on_delete=fields.RESTRICT
    )
    partner_id: int | None
    elementary = fields.IntField(default=0, description="participants from elementary schools")
    middle = fields.IntField(default=0, description="participants from middle schools")
    high = fields.IntField(default=0, description="participants from high schools")
    special = fields.IntField(default=0, description="participants from special schools")
    # Exact tenths of an hour (1.5 hours), never a float.
    hours = fields.DecimalField(max_digits=5, decimal_places=1, default=0)
    note = fields.TextField(default="")
    # Not a column: the partner's code as last read or written (`program_sessions.with_partner_codes`),
    # so the record's plain values can show it without a query of their own.
    partner_code: str | None = None

    class Meta:
        table = "program_session"
        ordering = ["held_on", "id"]
        # PostgreSQL does not index foreign keys by itself; the filters look sessions up by both.
        indexes = (
            Index(fields=("program_id",), name="program_session_program_id_idx"),
            Index(fields=("partner_id",), name="program_session_partner_id_idx"),
        )
