"""DataLoader batches for allocations: their shares, and what the budget lines hold beside them.

Each is one statement per level whatever the number of allocations.
"""

from __future__ import annotations

from collections import defaultdict

from tortoise.functions import Sum

from models.allocation import AllocationShare as ShareRow
from models.budget_line import BudgetLine as BudgetLineRow
from models.enums import Funder
from schema.agreement_records import AllocationShare
from schema.scalars import Won

FUNDER_ORDER = {funder: number for number, funder in enumerate(Funder)}


def _shares(amounts: dict[Funder, int]) -> list[AllocationShare]:
    ordered = sorted(amounts.items(), key=lambda item: FUNDER_ORDER[item[0]])
    return [AllocationShare(funder=funder, amount=Won(amount)) for funder, amount in ordered]


async def shares_of(keys: list[int]) -> list[list[AllocationShare]]:
    """Each allocation's shares."""
    rows = await ShareRow.filter(allocation_id__in=keys).values("allocation_id", "funder", "amount")
    grouped: dict[int, dict[Funder, int]] = defaultdict(dict)
    for row in rows:
        grouped[row["allocation_id"]][Funder(row["funder"])] = int(row["amount"])
    return [_shares(grouped.get(key, {})) for key in keys]


async def budgeted_of(keys: list[tuple[int, int]]) -> list[list[AllocationShare]]:
    """For each (program id, fiscal year): its live budget lines' allocated, summed per funder."""
    programs = sorted({program for program, _ in keys})
    years = sorted({year for _, year in keys})
    query = BudgetLineRow.filter(program_id__in=programs, fiscal_year__in=years, archived_at__isnull=True)
    rows = (
        await query.annotate(allocated_sum=Sum("allocated"))
        .group_by("program_id", "fiscal_year", "funder")
        .values("program_id", "fiscal_year", "funder", "allocated_sum")
    )
    grouped: dict[tuple[int, int], dict[Funder, int]] = defaultdict(dict)
    for row in rows:
        # PostgreSQL sums bigint as numeric (Decimal).
        grouped[(row["program_id"], row["fiscal_year"])][Funder(row["funder"])] = int(
            row["allocated_sum"] or 0
        )
    return [_shares(grouped.get(key, {})) for key in keys]
