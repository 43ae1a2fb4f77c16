"""Budget groups by the kind of a program's partners (`budgetSummary(groupBy: [PARTNER_KIND])`).

A budget line belongs to one program and a program may have several partners, so the grouping
is a choice, made here once: a line counts once toward every distinct kind among its program's
live partners, and toward one group without a kind (label 없음) when its program has none.
Each kind's figures are then exactly "the money of programs that draw on such a partner", and
the groups may add up to more than the total (a program with a university and a company counts
in both). In SQL: the lines summed per program (with the other dimensions) are joined, LEFT, to
the distinct (program, kind) pairs below, and grouped once more, in the same statement.
"""

from __future__ import annotations

from functools import cache

from models.partner import Partner, ProgramPartner
from schema.grouped_sql import quoted

KEY = "partner_kind"  # the row key the summary reads for this dimension


@cache
def joined() -> str:
    """`inner_rows` (rows with a program_id) LEFT JOINed to the distinct kinds of the program's
    live partners, as `kinds.kind` (NULL: no partner)."""
    links, partners = quoted(ProgramPartner._meta.db_table), quoted(Partner._meta.db_table)
    kinds = (
        f"SELECT DISTINCT links.program_id AS program_id, partners.kind AS kind FROM {links} links"  # noqa: S608
        f" JOIN {partners} partners ON partners.id = links.partner_id WHERE partners.archived_at IS NULL"
    )
    return f"inner_rows LEFT JOIN ({kinds}) kinds ON kinds.program_id = inner_rows.program_id"
