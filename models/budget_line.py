"""Money allocated to and executed by a program from one funder in one fiscal year.

예산현액 (what the line may spend) = 배정액 + 전년도 이월액; at year end the unspent rest is
carried over (이월액) or becomes unused (불용액 = 예산현액 - 집행액 - 이월액).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index

from models.base import TimestampedRecord
from models.enums import BudgetStage, Funder

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
    stage = fields.CharEnumField(
        BudgetStage, max_length=20, default=BudgetStage.PLANNED, db_default=BudgetStage.PLANNED
    )
    disbursed = fields.BigIntField(default=0, db_default=0)  # 교부액
    carried_in = fields.BigIntField(default=0, db_default=0)  # 전년도 이월액
    carried_out = fields.BigIntField(default=0, db_default=0)  # 이월액 (into next year)
    unused = fields.BigIntField(default=0, db_default=0)  # 불용액, set when the line is settled
    note = fields.TextField(default="")

    @property
    def budget_current(self) -> int:
        """예산현액: what the line may spend this year."""
        return int(self.allocated) + int(self.carried_in)

    class Meta:
        table = "budget_line"
        ordering = ["id"]
        # `program { budgetLines }` and every budget filter through the program join on it.
        indexes = (
            Index(fields=("program_id",), name="budget_line_program_id_idx"),
            Index(fields=("stage",), name="budget_line_stage_idx"),  # the `stages` filter
        )
