"""A working-level supplementary agreement (실무 협약) under an agreement.

It fixes, program by program and year by year, what each funder pays (`models.allocation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index

from models.base import TimestampedRecord

if TYPE_CHECKING:
    from models.agreement import Agreement


class SupplementaryAgreement(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=30, unique=True)
    agreement: fields.ForeignKeyRelation[Agreement] = fields.ForeignKeyField(
        "models.Agreement", related_name="supplements", on_delete=fields.RESTRICT
    )
    agreement_id: int
    title = fields.CharField(max_length=200)
    signed_on = fields.DateField(null=True)
    note = fields.TextField(default="")

    class Meta:
        table = "supplementary_agreement"
        ordering = ["code"]
        # PostgreSQL does not index foreign keys by itself; an agreement lists its supplements.
        indexes = (Index(fields=("agreement_id",), name="supplementary_agreement_agreement_id_idx"),)
