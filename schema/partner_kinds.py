"""Budget groups by the kind of a program's partners (`budgetSummary(groupBy: [PARTNER_KIND])`).

A budget line belongs to one program and a program may have several partners, so the grouping
is a choice, made here once: a line counts once toward every distinct kind among its program's
live partners, and toward one group without a kind (label 없음) when its program has none.
Each kind's figures are then exactly "the money of programs that draw on such a partner", and
the groups may add up to more than the total (a program with a university and a company counts
in both). The database sums the lines per program (with the other dimensions) in one GROUP BY;
one more statement reads the programs' partner kinds; Python only adds the per-program sums up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from models.partner import ProgramPartner

KEY = "partner_kind"  # the row key the summary reads for this dimension
SUMS = ("allocated_sum", "executed_sum", "line_count")


async def spread(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows grouped by `columns` and program_id -> rows grouped by `columns` and partner kind."""
    kinds = await kinds_of({row["program_id"] for row in rows})
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        options: list[str | None] = [*kinds.get(row["program_id"], [])] or [None]
        for kind in options:
            key = (*(row[column] for column in columns), kind)
            into = merged.setdefault(
                key, {**{c: row[c] for c in columns}, KEY: kind, **dict.fromkeys(SUMS, 0)}
            )
            for name in SUMS:
                into[name] += int(row[name] or 0)
    return list(merged.values())


async def kinds_of(program_ids: set[int]) -> dict[int, list[str]]:
    """{program id: the distinct kinds of its live partners}."""
    if not program_ids:
        return {}
    links = ProgramPartner.filter(program_id__in=sorted(program_ids), partner__archived_at__isnull=True)
    # Ordered by the selected columns: PostgreSQL's DISTINCT refuses the model's default order by id.
    pairs = (
        await links.distinct()
        .order_by("program_id", "partner__kind")
        .values_list("program_id", "partner__kind")
    )
    found: dict[int, set[str]] = defaultdict(set)
    for program_id, kind in pairs:
        found[program_id].add(str(kind))
    return {program_id: sorted(kinds) for program_id, kinds in found.items()}
