"""No N+1: the SQL statements a nested query runs depend on its depth, never on its rows."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from strawberry import relay

from models.change_event import ChangeEvent
from models.sample_data import load_sample_data
from tests.schema.schema_kit import Run, WorldFactory

NESTED = """
query Nested($first: Int!) {
  schools(first: $first) {
    totalCount
    edges { node { code level programs { code school { code } budgetLines { allocated executed
      program { code } } } } }
  }
}
"""
SQL_VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


class _StatementCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().lstrip()
        if message.upper().startswith(SQL_VERBS):
            self.statements.append(message)


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Every SQL statement Tortoise sends (SQLite and asyncpg clients both log them at DEBUG)."""
    logger = logging.getLogger("tortoise.db_client")
    counter = _StatementCounter()
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter.statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def _count(run: Run) -> tuple[int, int]:
    """(statements, budget lines returned) for the nested query over every school."""
    with counting_statements() as statements:
        body = await run(NESTED, {"first": 100}, viewer="partner")
    assert "errors" not in body, body
    lines = sum(
        len(program["budgetLines"])
        for edge in body["data"]["schools"]["edges"]
        for program in edge["node"]["programs"]
    )
    return len(statements), lines


async def test_nested_query_statement_count_is_constant(run: Run, make_world: WorldFactory) -> None:
    # ~20 schools, 60 programs, ~200 lines; then as much again.
    await make_world(schools_count=20, programs_per_school=3, lines_per_program=3, prefix="A")
    small, small_lines = await _count(run)
    await make_world(schools_count=20, programs_per_school=3, lines_per_program=3, prefix="B")
    large, large_lines = await _count(run)
    print(f"nested 3-level query: {small} statements for {small_lines} lines, {large} for {large_lines}")
    assert small_lines == 180 and large_lines == 360
    # count + schools page + programs + budget lines; walking back up (`program`, `school`)
    # hits the loaders' memory of rows already fetched.
    assert small == large
    assert small <= 4


async def test_nested_query_over_the_sample_data_runs_four_statements(run: Run) -> None:
    counts = await load_sample_data()
    statements, lines = await _count(run)
    print(f"nested 3-level query over the sample: {statements} statements for {lines} lines")
    # Every school fits on the page; city-wide programs are not under a school.
    assert 0 < lines < counts.budget_lines
    assert statements <= 4


AGREEMENT_TREE = """
query Tree {
  agreements {
    nodes { code supplementaryAgreements { code agreementCode allocations {
      total programCode supplementaryCode shares { funder amount } budgeted { amount } } } }
  }
}
"""


async def test_the_agreement_tree_over_the_sample_is_one_statement_per_level(run: Run) -> None:
    counts = await load_sample_data()
    with counting_statements() as statements:
        body = await run(AGREEMENT_TREE, viewer="partner")
    assert "errors" not in body, body
    [agreement] = body["data"]["agreements"]["nodes"]
    allocations = [a for s in agreement["supplementaryAgreements"] for a in s["allocations"]]
    assert len(allocations) == counts.allocations > 100
    assert all(sum(s["amount"] for s in a["shares"]) == a["total"] for a in allocations)
    print(f"agreement tree over the sample: {len(statements)} statements for {len(allocations)} allocations")
    # count + page, supplements, allocations, shares, budgeted, programs (by id); the agreement
    # and supplements walked back up to are in the loaders already.
    assert len(statements) <= 7


UPDATE = (
    "mutation Update($input: BudgetLineUpdateInput!) { budgetLineUpdate(input: $input) "
    "{ budgetLine { executed note } userErrors { field message code } } }"
)


async def test_a_budget_line_update_runs_three_statements_in_its_transaction(
    run: Run, make_world: WorldFactory, db: str
) -> None:
    """The locked read, the UPDATE, and the change event with the clock tick (BEGIN and COMMIT
    aside; SQLite sends the event and the tick apart). The program's code is not read again."""
    world = await make_world(schools_count=1)
    variables = {"input": {"id": relay.to_base64("BudgetLine", world.lines[0].pk), "executed": 7}}
    with counting_statements() as statements:
        body = await run(UPDATE, variables)
    assert body == {
        "data": {"budgetLineUpdate": {"budgetLine": {"executed": 7, "note": ""}, "userErrors": []}}
    }
    verbs = [statement.split()[0].upper() for statement in statements]
    assert verbs == (
        ["SELECT", "UPDATE", "WITH"] if "postgres" in db else ["SELECT", "UPDATE", "INSERT", "INSERT"]
    )
    event = await ChangeEvent.all().order_by("-id").first()
    assert event is not None and event.changes == {"executed": [world.lines[0].executed, 7]}


async def test_each_summary_is_one_statement_whatever_it_groups_by(
    run: Run, make_world: WorldFactory
) -> None:
    await make_world(schools_count=4)
    for query in (
        "{ budgetSummary(groupBy: [PROGRAM, FUNDER]) { allocated keys { label } } }",
        "{ budgetSummary(groupBy: [PARTNER_KIND, DISTRICT]) { executed } }",
        "{ activitySummary(groupBy: [PARTNER_KIND, SCHOOL]) { sessions executed } }",
        "{ activitySummary(groupBy: []) { hours } }",
    ):
        with counting_statements() as statements:
            body = await run(query, viewer="anonymous")
        assert "errors" not in body, body
        assert len(statements) == 1, (query, statements)
