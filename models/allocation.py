"""What a supplementary agreement fixes for one program and fiscal year: a total, split by funder.

The shares are child rows (`AllocationShare`), one per funder that pays, written together with
their allocation in one service write and one change event (`models.services.allocations`), so
the rule "shares add up to the total" holds for every committed state. Rows, not four amount
columns: a funder added to `Funder` needs no migration, and sums by funder are one GROUP BY.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.base import TimestampedRecord
from models.enums import Funder

if TYPE_CHECKING:
    from models.program import Program
    from models.supplementary_agreement import SupplementaryAgreement


class Allocation(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    supplementary_agreement: fields.ForeignKeyRelation[SupplementaryAgreement] = fields.ForeignKeyField(
        "models.SupplementaryAgreement", related_name="allocations", on_delete=fields.RESTRICT
    )
    supplementary_agreement_id: int
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="allocations", on_delete=fields.RESTRICT
    )
    program_id: int
    fiscal_year = fields.IntField(db_index=True)
    total = fields.BigIntField(description="the program's total for the year, in whole won")

    class Meta:
        table = "allocation"
        ordering = ["fiscal_year", "id"]
        # One live allocation per (supplement, program, year) is the service's rule (archived
        # ones stay as history), so these are plain indexes, not a unique constraint.
        indexes = (
            Index(
                fields=("supplementary_agreement_id", "program_id", "fiscal_year"), name="allocation_key_idx"
            ),
            Index(fields=("program_id",), name="allocation_program_id_idx"),
        )


class AllocationShare(Model):
    """The share one funder pays of an allocation, in whole won, written only with its allocation."""

    id = fields.IntField(primary_key=True)
    allocation: fields.ForeignKeyRelation[Allocation] = fields.ForeignKeyField(
        "models.Allocation", related_name="shares", on_delete=fields.RESTRICT
    )
    allocation_id: int
    funder = fields.CharEnumField(Funder, max_length=20, db_index=True)
    amount = fields.BigIntField()

    class Meta:
        table = "allocation_share"
        unique_together = (("allocation", "funder"),)
        ordering = ["allocation_id", "funder"]
