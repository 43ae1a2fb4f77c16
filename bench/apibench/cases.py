"""The workloads of `bench/api.py`, as each server spells them, and how answers are compared.

This API and the hand-written peer take the same GraphQL text and must answer the same bytes.
PostGraphile 5 has its own schema (`allSchools`, `programsBySchoolId`, BigInt as strings), so
its answers are reshaped to this API's before the data is compared.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from bench.apibench.data import Dataset

NESTED = (
    "query Nested { schools(first: %d) { nodes { code name "
    "programs { code name budgetLines { funder allocated executed } } } } }"
)
PG_NESTED = (
    "query Nested { allSchools(first: %d, orderBy: CODE_ASC) { nodes { code name "
    "programsBySchoolId(orderBy: CODE_ASC) { nodes { code name "
    "budgetLinesByProgramId(orderBy: ROW_ID_ASC) { nodes { funder allocated executed } } } } } } }"
)
ONE_SCHOOL = 'query OneSchool { school(code: "%s") { code name programs { code name category } } }'
PG_ONE_SCHOOL = (
    'query OneSchool { schoolByCode(code: "%s") { code name '
    "programsBySchoolId(orderBy: CODE_ASC) { nodes { code name category } } } }"
)
SUMMARY = (
    "query Summary { budgetSummary(groupBy: [%s]) { keys { value label } allocated executed executionRate } }"
)
# PostGraphile 4 + @graphile/pg-aggregates: the same sums, grouped by the column.
PG4_SUMMARY = (
    "query Summary { allBudgetLines { groupedAggregates(groupBy: %s) { keys sum { allocated executed } } } }"
)
PG4_GROUP = {"PROGRAM": "PROGRAM_ID", "FUNDER": "FUNDER"}
UPDATE = (
    "mutation Update($input: BudgetLineUpdateInput!) { budgetLineUpdate(input: $input) "
    "{ budgetLine { executed note } userErrors { field message code } } }"
)
PG_UPDATE = (
    "mutation Update($id: Int!, $executed: BigInt!) { updateBudgetLineByRowId(input: "
    "{rowId: $id, budgetLinePatch: {executed: $executed}}) { budgetLine { executed note } } }"
)

# PostGraphile field -> (this API's field, unwrap its `nodes`)
PG_FIELDS: dict[str, tuple[str, bool]] = {
    "allSchools": ("schools", False),
    "schoolByCode": ("school", False),
    "programsBySchoolId": ("programs", True),
    "budgetLinesByProgramId": ("budgetLines", True),
    "updateBudgetLineByRowId": ("budgetLineUpdate", False),
}
BIGINT_FIELDS = frozenset({"allocated", "executed"})


@dataclass(frozen=True)
class Case:
    """One workload: per connection a cycle of request bodies, for this API and for PostGraphile."""

    name: str
    bodies: Callable[[int], list[bytes]]  # connection number -> bodies it cycles through
    pg_bodies: Callable[[int], list[bytes]] | None  # None: PostGraphile has no such query
    role: str | None  # token the request carries: None, "partner" or "staff"
    mutation: bool = False
    # PostGraphile 4 with @graphile/pg-aggregates (`servers.POSTGRAPHILE_4`): the summaries only.
    pg4_bodies: Callable[[int], list[bytes]] | None = None


def _body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return orjson.dumps({"query": query, "variables": variables or {}})


def _fixed(body: bytes) -> Callable[[int], list[bytes]]:
    return lambda connection: [body]


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def cases(dataset: Dataset, *, nested_only: bool = False) -> list[Case]:
    """The cases for one database: all of them at scale 1, the nested tree alone above."""
    schools = dataset.schools
    nested = Case(
        f"nested {schools} schools",
        _fixed(_body(NESTED % schools)),
        _fixed(_body(PG_NESTED % schools)),
        "partner",
    )
    if nested_only:
        return [nested]
    code = dataset.school_codes[len(dataset.school_codes) // 2]
    lines = dataset.mutable_lines

    def ours(connection: int) -> list[bytes]:
        line = lines[connection % len(lines)]
        return [
            _body(UPDATE, {"input": {"id": global_id("BudgetLine", line.id), "executed": amount}})
            for amount in (line.other, line.executed)
        ]

    def theirs(connection: int) -> list[bytes]:
        line = lines[connection % len(lines)]
        return [_body(PG_UPDATE, {"id": line.id, "executed": str(a)}) for a in (line.other, line.executed)]

    return [
        nested,
        Case(
            "one school by code", _fixed(_body(ONE_SCHOOL % code)), _fixed(_body(PG_ONE_SCHOOL % code)), None
        ),
        *(
            Case(
                f"budgetSummary({group})",
                _fixed(_body(SUMMARY % group)),
                None,
                None,
                pg4_bodies=_fixed(_body(PG4_SUMMARY % PG4_GROUP[group])),
            )
            for group in ("PROGRAM", "FUNDER")
        ),
        Case("mutation budgetLineUpdate", ours, theirs, "staff", mutation=True),
    ]


def normalized_postgraphile(answer: Any) -> Any:
    """A PostGraphile 5 answer in this API's shape (names, `nodes` unwrapped, BigInt as int)."""
    if isinstance(answer, list):
        return [normalized_postgraphile(item) for item in answer]
    if not isinstance(answer, dict):
        return answer
    shaped: dict[str, Any] = {}
    for key, value in answer.items():
        name, unwrap = PG_FIELDS.get(key, (key, False))
        if unwrap and isinstance(value, dict):
            value = value["nodes"]
        if name in BIGINT_FIELDS and isinstance(value, str):
            value = int(value)
        shaped[name] = normalized_postgraphile(value)
    if "budgetLine" in shaped and "userErrors" not in shaped:
        shaped["userErrors"] = []  # PostGraphile has no business errors to report
    return shaped


def summary_sums(answer: Any, *, keyed: bool) -> list[tuple[Any, ...]]:
    """A summary's groups as sorted (key, allocated, executed) rows, from this API's answer or
    PostGraphile 4's groupedAggregates (sums as strings). Program groups are compared by their
    sums alone (PostGraphile 4 keys them by program id, this API by code)."""
    if "budgetSummary" in answer:
        groups = [
            (g["keys"][0]["value"], int(g["allocated"]), int(g["executed"])) for g in answer["budgetSummary"]
        ]
    else:
        groups = [
            (g["keys"][0], int(g["sum"]["allocated"]), int(g["sum"]["executed"]))
            for g in answer["allBudgetLines"]["groupedAggregates"]
        ]
    return sorted(g if keyed else g[1:] for g in groups)
