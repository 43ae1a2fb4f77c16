"""budgetLineCreate / budgetLineUpdate / budgetLineArchive / budgetLineRestore, declared
(`schema.mutations.family`); budget lines have no code, so archive and restore take the id."""

from __future__ import annotations

from models.enums import Funder
from models.services.budget_lines import BUDGET_LINES
from schema.mutations.family import InputField, MutationFamily
from schema.records import BUDGET_LINE_COLUMNS, BudgetLine
from schema.scalars import Won

EXECUTED = "Executed amount (집행액), whole won, at most `allocated`."

# What refuses an archive, for the mutation's description.
ARCHIVE = "Archive (soft-delete) a budget line."
FIELDS = (
    InputField(
        "program_code",
        str,
        "Code of the program it funds (사업코드).",
        "Move to the program with this code.",
    ),
    InputField("fiscal_year", int, "Fiscal year (연도).", "New fiscal year."),
    InputField("funder", Funder, "Who pays (재원).", "New funder."),
    InputField(
        "allocated", Won, "Allocated amount (배정액), whole won, not negative.", "New allocated amount."
    ),
    InputField("executed", Won, EXECUTED, "New executed amount.", default=Won(0)),
    InputField("note", str, "Free note (비고).", "New note.", default=""),
)
FAMILY = MutationFamily(BUDGET_LINES, BudgetLine, BUDGET_LINE_COLUMNS, FIELDS, archive=ARCHIVE, short="line")
