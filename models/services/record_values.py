"""A record's fields in API terms (enum names, money as int, references by code).

History diffs, the outbox and the sync merge base all compare these plain values.
"""

from __future__ import annotations

from typing import Any

from models.budget_line import BudgetLine
from models.partner import Partner
from models.program import Program
from models.school import School


def school_values(school: School) -> dict[str, Any]:
    return {
        "code": school.code,
        "name": school.name,
        "level": str(school.level),
        "district": school.district,
        "students": school.students,
    }


def program_values(program: Program, school_code: str | None) -> dict[str, Any]:
    return {
        "code": program.code,
        "name": program.name,
        "category": str(program.category),
        "school_code": school_code,
        "fiscal_year": program.fiscal_year,
        "status": str(program.status),
        "description": program.description,
    }


def budget_line_values(line: BudgetLine, program_code: str) -> dict[str, Any]:
    return {
        "program_code": program_code,
        "fiscal_year": line.fiscal_year,
        "funder": str(line.funder),
        "allocated": line.allocated,
        "executed": line.executed,
        "stage": str(line.stage),
        "disbursed": line.disbursed,
        "carried_in": line.carried_in,
        "carried_out": line.carried_out,
        "unused": line.unused,
        "note": line.note,
    }


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


# References are values by code in API terms and foreign keys in the table.
REFERENCE_COLUMNS = {
    "school_code": "school_id",
    "program_code": "program_id",
    "agreement_code": "agreement_id",
}


def changed_columns(diff: dict[str, list[Any]]) -> list[str]:
    """The model fields to save for `diff`, plus `updated_at`.

    Saving only these (`save(update_fields=...)`) means a write never puts back a column it did
    not change, whatever the instance holds for the others.
    """
    return [REFERENCE_COLUMNS.get(name, name) for name in diff] + ["updated_at"]


def partner_values(partner: Partner) -> dict[str, Any]:
    return {
        "code": partner.code,
        "name": partner.name,
        "kind": str(partner.kind),
        "district": partner.district,
        "phone": partner.phone,
        "email": partner.email,
        "homepage": partner.homepage,
    }
