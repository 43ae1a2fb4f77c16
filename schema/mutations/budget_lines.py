"""budgetLineCreate / budgetLineUpdate / budgetLineArchive / budgetLineRestore, declared
(`schema.mutations.family`); budget lines have no code, so archive and restore take the id."""

from __future__ import annotations

from models.enums import BudgetStage, Funder
from models.services.budget_lines import BUDGET_LINES
from schema.mutations.family import InputField, MutationFamily
from schema.records import BUDGET_LINE_COLUMNS, BudgetLine
from schema.scalars import Won

EXECUTED = "Executed amount (집행액), whole won, at most budgetCurrent (`allocated` + `carriedIn`)."

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
    InputField(
        "stage",
        BudgetStage,
        "Budget stage (단계); SETTLED only by carry-over or closing the year.",
        "New stage (not SETTLED: settle with budgetLineCarryOver or fiscalYearClose).",
        default=BudgetStage.PLANNED,
    ),
    InputField(
        "disbursed",
        Won,
        "Disbursed amount (교부액), at most budgetCurrent.",
        "New disbursed.",
        default=Won(0),
    ),
    InputField(
        "carried_in",
        Won,
        "Carried in from last year (전년도 이월액), whole won.",
        "New amount carried in from last year.",
        default=Won(0),
    ),
    InputField(
        "carried_out",
        Won,
        "To carry into next year (이월액), at most budgetCurrent - executed; closing the year carries it.",
        "New amount to carry into next year.",
        default=Won(0),
    ),
    InputField("note", str, "Free note (비고).", "New note.", default=""),
)
FAMILY = MutationFamily(BUDGET_LINES, BudgetLine, BUDGET_LINE_COLUMNS, FIELDS, archive=ARCHIVE, short="line")
