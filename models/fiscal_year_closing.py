"""The record that a fiscal year was closed: its lines settled, the unspent carried or unused.

One per year (unique), so a year is never closed twice; the lines themselves keep every figure.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.enums import ActorKind


class FiscalYearClosing(Model):
    id = fields.IntField(primary_key=True)
    fiscal_year = fields.IntField(unique=True)
    closed_at = fields.DatetimeField(auto_now_add=True)
    actor_kind = fields.CharEnumField(ActorKind, max_length=20)
    actor_name = fields.CharField(max_length=100)
    lines_settled = fields.IntField(default=0)
    lines_created = fields.IntField(default=0)  # next year's lines the carry-over created
    # Whole won over the settled lines.
    total_executed = fields.BigIntField(default=0)
    total_carried = fields.BigIntField(default=0)
    total_unused = fields.BigIntField(default=0)

    class Meta:
        table = "fiscal_year_closing"
        ordering = ["fiscal_year"]
