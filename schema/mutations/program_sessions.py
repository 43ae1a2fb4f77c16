"""programSessionCreate / programSessionUpdate / programSessionArchive / programSessionRestore,
declared (`schema.mutations.family`); sessions have no code, so archive and restore take the id.

Counts only: there is no input for a student's name, number or contact (개인정보보호법)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.services.program_sessions import SESSIONS
from schema.mutations.family import InputField, MutationFamily
from schema.session_records import SESSION_COLUMNS, ProgramSession

ARCHIVE = "Archive (soft-delete) a program session; sums stop counting it."
COUNT = "participants, a whole number, not negative"
FIELDS = (
    InputField(
        "program_code", str, "Code of the live program that held it (사업코드).", "Move to this program."
    ),
    InputField("held_on", date, "The day it was held (일자).", "New day."),
    InputField("place", str, "Where it was held (장소).", "New place.", default=""),
    InputField(
        "partner_code",
        str | None,
        "Code of the partner that hosted it (교육자원코드); null or blank: none.",
        "New hosting partner by code; null: none.",
        default=None,
        nullable=True,
    ),
    InputField("elementary", int, f"Elementary {COUNT} (초등).", "New elementary count.", default=0),
    InputField("middle", int, f"Middle school {COUNT} (중등).", "New middle school count.", default=0),
    InputField("high", int, f"High school {COUNT} (고등).", "New high school count.", default=0),
    InputField("special", int, f"Special school {COUNT} (특수).", "New special school count.", default=0),
    InputField(
        "hours", Decimal, "Hours, exact to a tenth (시간), e.g. 1.5.", "New hours.", default=Decimal("0")
    ),
    InputField("note", str, "Free note (비고); never a student's name or number.", "New note.", default=""),
)
FAMILY = MutationFamily(SESSIONS, ProgramSession, SESSION_COLUMNS, FIELDS, archive=ARCHIVE, short="session")
