"""programCreate / programUpdate / programArchive / programRestore, declared (`schema.mutations.family`)."""

from __future__ import annotations

from models.enums import ProgramCategory, ProgramStatus
from models.services.programs import PROGRAMS
from schema.mutations.family import InputField, MutationFamily
from schema.records import PROGRAM_COLUMNS, Program

CITY_WIDE = "Code of the school it runs at; null or blank for a city-wide program."

# What refuses an archive, for the mutation's description.
ARCHIVE = "Archive a program; refused while it has live budget lines."
FIELDS = (
    InputField("code", str, "Program code (사업코드), unique.", "New program code."),
    InputField("name", str, "Program name (사업명).", "New name."),
    InputField("category", ProgramCategory, "Program type (유형).", "New type."),
    InputField(
        "school_code",
        str | None,
        CITY_WIDE,
        "New school by code; null makes the program city-wide.",
        default=None,
        nullable=True,
    ),
    InputField("fiscal_year", int, "Fiscal year (연도).", "New fiscal year."),
    InputField("status", ProgramStatus, "Status (상태).", "New status.", default=ProgramStatus.PLANNED),
    InputField("description", str, "Free description (설명).", "New description.", default=""),
)
FAMILY = MutationFamily(PROGRAMS, Program, PROGRAM_COLUMNS, FIELDS, archive=ARCHIVE, by_code=True)
