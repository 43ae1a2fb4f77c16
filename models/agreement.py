"""The agreement (업무협약) between Hanam City and the Gwangju Hanam Office of Education.

It runs for a term (two years for the current one); what each funder pays per program and year
is settled afterwards in supplementary agreements (`models.supplementary_agreement`).
"""

from __future__ import annotations

from tortoise import fields

from models.base import TimestampedRecord


class Agreement(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=30, unique=True)
    title = fields.CharField(max_length=200)
    parties = fields.TextField(default="", description="who signed, e.g. 하남시, 경기도광주하남교육지원청")
    signed_on = fields.DateField(null=True)
    term_start = fields.DateField()
    term_end = fields.DateField()
    note = fields.TextField(default="")

    class Meta:
        table = "agreement"
        ordering = ["code"]
