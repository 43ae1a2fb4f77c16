"""schoolCreate / schoolUpdate / schoolArchive / schoolRestore, declared (`schema.mutations.family`)."""

from __future__ import annotations

from models.enums import SchoolLevel
from models.services.schools import SCHOOLS
from schema.mutations.family import InputField, MutationFamily
from schema.records import SCHOOL_COLUMNS, School

# What refuses an archive, for the mutation's description.
ARCHIVE = "Archive (soft-delete) a school; refused while live programs use it."
FIELDS = (
    InputField("code", str, "NEIS-style school code (학교코드), unique.", "New school code."),
    InputField("name", str, "School name (학교명).", "New name."),
    InputField("level", SchoolLevel, "School level (학교급).", "New level."),
    InputField("district", str, "District (권역), e.g. 미사.", "New district."),
    InputField("students", int, "Students enrolled (학생수).", "New number of students.", default=0),
)
FAMILY = MutationFamily(SCHOOLS, School, SCHOOL_COLUMNS, FIELDS, archive=ARCHIVE, by_code=True)
