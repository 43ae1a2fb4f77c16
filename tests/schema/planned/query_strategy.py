"""A Hypothesis strategy for read queries over the record types, as a caller might write them.

It draws root fields (connections with filters, orderings, page sizes and cursors, look-ups by
code), selections of data fields and relations, aliases, named and inline fragments, variables
and @include/@skip, from the real schema's types (so enum values and filter fields are the
schema's own). Some draws are meant to fail (a page size over the cap, a bad cursor, a text
longer than its column, budget lines for an anonymous caller) and some select fields the planner
does not know (a program's partners): every answer must still equal the executor's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
)
from hypothesis import strategies as st

from schema.pagination import encode_cursor

FIELDS: dict[str, list[str]] = {
    "School": [
        "id",
        "__typename",
        "code",
        "name",
        "level",
        "district",
        "students",
        "createdAt",
        "archivedAt",
    ],
    "Program": [
        "id",
        "__typename",
        "code",
        "name",
        "category",
        "fiscalYear",
        "status",
        "description",
        "updatedAt",
        "schoolCode",
    ],
    "BudgetLine": [
        "id",
        "__typename",
        "fiscalYear",
        "funder",
        "allocated",
        "executed",
        "note",
        "executionRate",
        "stage",
        "disbursed",
        "carriedIn",
        "carriedOut",
        "unused",
        "budgetCurrent",
    ],
    "Partner": ["id", "__typename", "code", "name", "kind", "district", "phone", "homepage", "archivedAt"],
}
RELATIONS: dict[str, list[tuple[str, str]]] = {
    "School": [("programs", "Program")],
    "Program": [("school", "School"), ("budgetLines", "BudgetLine")],
    "BudgetLine": [("program", "Program")],
    "Partner": [],
}
ROOTS = {
    "schools": ("School", "SchoolFilter", "SchoolOrder"),
    "programs": ("Program", "ProgramFilter", "ProgramOrder"),
    "budgetLines": ("BudgetLine", "BudgetFilter", "BudgetLineOrder"),
    "partners": ("Partner", "PartnerFilter", "PartnerOrder"),
}
BY_CODE = {"school": "School", "program": "Program", "partner": "Partner"}
CODES = ["S0000", "S0001", "S0003", "PS0000", "PS0004", "PS0008", "nope", "x" * 300]
TEXTS = ["미사", "위례", "학교", "사업", "1", "", "y" * 300, *CODES[:4]]


@dataclass
class Draft:
    """What one query has drawn so far: its variables and its named fragments."""

    variables: dict[str, tuple[str, Any]] = field(default_factory=dict)  # name -> (type, value)
    fragments: list[str] = field(default_factory=list)

    def variable(self, kind: str, value: Any) -> str:
        name = f"v{len(self.variables)}"
        self.variables[name] = (kind, value)
        return f"${name}"


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


@st.composite
def input_value(draw: st.DrawFn, schema: GraphQLSchema, kind: Any) -> str:
    """A literal of an input type of the schema, with plausible values for this world."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        items = draw(st.lists(input_value(schema, kind.of_type), max_size=3))
        return "[" + ", ".join(items) + "]"
    if isinstance(kind, GraphQLEnumType):
        value: str = draw(st.sampled_from(sorted(kind.values)))
        return value
    if isinstance(kind, GraphQLInputObjectType):
        names = draw(st.lists(st.sampled_from(sorted(kind.fields)), unique=True, max_size=3))
        required = [n for n, f in kind.fields.items() if isinstance(f.type, GraphQLNonNull)]
        chosen = [*required, *(n for n in names if n not in required)]
        values = [f"{n}: {draw(input_value(schema, kind.fields[n].type))}" for n in chosen]
        return "{" + ", ".join(values) + "}"
    assert isinstance(kind, GraphQLScalarType)
    if kind.name == "Boolean":
        return _literal(draw(st.booleans()))
    if kind.name == "Int":
        return str(draw(st.sampled_from([2025, 2026, 2024])))
    return _literal(draw(st.sampled_from(TEXTS)))


@st.composite
def condition(draw: st.DrawFn, draft: Draft) -> str:
    """Nothing mostly; sometimes @include or @skip, on a literal or a variable."""
    if draw(st.integers(0, 4)):
        return ""
    name = draw(st.sampled_from(["include", "skip"]))
    value = draw(st.booleans())
    argument = draft.variable("Boolean!", value) if draw(st.booleans()) else _literal(value)
    return f" @{name}(if: {argument})"


@st.composite
def record_selection(draw: st.DrawFn, draft: Draft, type_name: str, depth: int) -> str:
    """A selection set on a record type: fields, relations, fragments."""
    parts: list[str] = []
    for name in draw(st.lists(st.sampled_from(FIELDS[type_name]), min_size=1, max_size=4)):
        alias = f"{name}_{draw(st.integers(0, 1))}: " if draw(st.integers(0, 3)) == 0 else ""
        parts.append(f"{alias}{name}{draw(condition(draft))}")
    if depth > 0 and RELATIONS[type_name] and draw(st.booleans()):
        name, child = draw(st.sampled_from(RELATIONS[type_name]))
        inner = draw(record_selection(draft, child, depth - 1))
        parts.append(f"{name}{draw(condition(draft))} {inner}")
    if type_name == "Program" and draw(st.integers(0, 9)) == 0:
        parts.append("partners { role }")  # not planned: the executor answers the operation
    shape = draw(st.integers(0, 5))
    if shape == 0:  # an inline fragment on the same type, maybe conditional
        parts = [f"... on {type_name}{draw(condition(draft))} {{ {' '.join(parts)} }}", "__typename"]
    elif shape == 1:  # a named fragment
        fragment = f"F{len(draft.fragments)}"
        draft.fragments.append(f"fragment {fragment} on {type_name} {{ {' '.join(parts)} }}")
        parts = [f"...{fragment}{draw(condition(draft))}", "id"]
    return "{ " + " ".join(parts) + " }"


@st.composite
def connection_selection(draw: st.DrawFn, draft: Draft, type_name: str) -> str:
    parts: list[str] = []
    for part in draw(st.lists(st.sampled_from(["edges", "nodes", "pageInfo", "totalCount"]), min_size=1)):
        if part == "edges":
            inner = draw(record_selection(draft, type_name, 2))
            cursor = "cursor " if draw(st.booleans()) else ""
            parts.append(f"edges {{ {cursor}node {inner} }}")
        elif part == "nodes":
            parts.append(f"nodes {draw(record_selection(draft, type_name, 2))}")
        elif part == "pageInfo":
            names = draw(
                st.lists(
                    st.sampled_from(["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"]),
                    min_size=1,
                    max_size=4,
                )
            )
            parts.append("pageInfo { " + " ".join(names) + " }")
        else:
            parts.append(f"totalCount{draw(condition(draft))}")
    return "{ " + " ".join(parts) + " }"


@st.composite
def root_field(draw: st.DrawFn, schema: GraphQLSchema, draft: Draft) -> str:
    name = draw(st.sampled_from([*ROOTS, *BY_CODE]))
    if name in BY_CODE:
        code = draw(st.sampled_from(CODES))
        argument = draft.variable("String!", code) if draw(st.booleans()) else _literal(code)
        return f"{name}(code: {argument}) {draw(record_selection(draft, BY_CODE[name], 2))}"
    type_name, filter_type, order_type = ROOTS[name]
    arguments: list[str] = []
    if draw(st.booleans()):
        arguments.append(f"filter: {draw(input_value(schema, schema.type_map[filter_type]))}")
    if draw(st.integers(0, 3)) == 0:
        orders = draw(st.lists(input_value(schema, schema.type_map[order_type]), min_size=1, max_size=2))
        arguments.append(f"orderBy: [{', '.join(orders)}]")
    if draw(st.booleans()):
        first = draw(st.sampled_from([1, 2, 3, 5, 100, 0, 101]))
        arguments.append(f"first: {draft.variable('Int', first) if draw(st.booleans()) else first}")
    if draw(st.integers(0, 2)) == 0:
        after = draw(st.sampled_from([encode_cursor(0), encode_cursor(2), encode_cursor(7), "bogus"]))
        arguments.append(f"after: {_literal(after)}")
    head = f"{name}({', '.join(arguments)})" if arguments else name
    return f"{head} {draw(connection_selection(draft, type_name))}"


@st.composite
def read_queries(draw: st.DrawFn, schema: GraphQLSchema) -> tuple[str, dict[str, Any]]:
    """(query text, variables) for one operation `Q` over the record types."""
    draft = Draft()
    fields = [f"r{i}: {draw(root_field(schema, draft))}" for i in range(draw(st.integers(1, 3)))]
    declared = ", ".join(f"${name}: {kind}" for name, (kind, _) in draft.variables.items())
    head = f"query Q({declared})" if declared else "query Q"
    text = " ".join([f"{head} {{ {' '.join(fields)} }}", *draft.fragments])
    return text, {name: value for name, (_, value) in draft.variables.items()}
