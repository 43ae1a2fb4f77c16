"""A school taking part in the city's education programs."""

from tortoise import fields

from models.base import TimestampedRecord
from models.enums import SchoolLevel


class School(TimestampedRecord):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=20, unique=True, description="NEIS-style school code")
    name = fields.CharField(max_length=100)
    level = fields.CharEnumField(SchoolLevel, max_length=20, db_index=True)
    district = fields.CharField(max_length=30, db_index=True, description="권역, e.g. 미사")
    students = fields.IntField(default=0)

    class Meta:
        table = "school"
        ordering = ["code"]
