"""Money allocated to and executed by a program from one funder in one fiscal year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index

from models.base import TimestampedRecord
from models.enums import Funder

if TYPE_CHECKING:
    from models.program import Program


class BudgetLine(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="budget_lines", on_delete=fields.RESTRICT
    )
    program_id: int
    fiscal_year = fields.IntField(db_index=True)
    funder = fields.CharEnumField(Funder, max_length=30, db_index=True)
    # Whole won in 64-bit integers: money is never a float.
    allocated = fields.BigIntField(default=0)
    executed = fields.BigIntField(default=0)
    note = fields.TextField(default="")

    class Meta:
        table = "budget_line"
        ordering = ["id"]
        # `program { budgetLines }` and every budget filter through the program join on it.
        indexes = (Index(fields=("program_id",), name="budget_line_program_id_idx"),)
