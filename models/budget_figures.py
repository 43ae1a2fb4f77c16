"""The figures derived from a budget line's amounts, computed one way everywhere.

예산현액 (budget current) = 배정액 + 전년도 이월액: what a line may spend this year. 집행률 (the
execution rate) is 집행액 / 예산현액, as Korean public budgets report it: money carried in from
last year is spent from this year's line, so a rate over 배정액 alone would pass 100 % on a line
that spent its carried-in money. Before carry-over existed (carried in = 0) both are the same.
"""

from __future__ import annotations


def budget_current(allocated: int, carried_in: int) -> int:
    """예산현액, whole won."""
    return allocated + carried_in


def execution_rate(executed: int, allocated: int, carried_in: int) -> float | None:
    """집행률 (0.0 to 1.0 while rules hold); None when the line has nothing to spend."""
    current = budget_current(allocated, carried_in)
    return executed / current if current else None
