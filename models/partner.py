"""A local education resource (교육자원): a university, company, village venue or institution.

Only the organisation's public contact points are kept (its main phone, a public e-mail and
homepage), never a person's name, number or address: these rows are shown to partner offices
and copied into a shared sheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import TimestampedRecord
from models.enums import PartnerKind

if TYPE_CHECKING:
    from models.program import Program


class Partner(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=30, unique=True)
    name = fields.CharField(max_length=100)
    kind = fields.CharEnumField(PartnerKind, max_length=20, db_index=True)
    district = fields.CharField(
        max_length=30, default="", db_index=True, description="권역, blank outside Hanam"
    )
    phone = fields.CharField(max_length=30, default="", description="the organisation's public phone")
    email = fields.CharField(max_length=100, default="", description="the organisation's public e-mail")
    homepage = fields.CharField(max_length=200, default="")

    class Meta:
        table = "partner"
        ordering = ["code"]


class ProgramPartner(Model):
    """A partner taking part in a program, and in what role (장소 제공, 강사 파견, ...).

    The link has no identity beyond its pair, so it is no record family of its own: its writes
    go through `models.services.program_partners`, which records them in the partner's history.
    """

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="partner_links", on_delete=fields.RESTRICT
    )
    program_id: int
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="program_links", on_delete=fields.RESTRICT, db_index=True
    )  # a partner's programs: the pair's unique index leads with the program, not the partner
    partner_id: int
    role = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "program_partner"
        unique_together = (("program", "partner"),)
        ordering = ["id"]
