"""Generated values for every argument of the schema, read from its introspection.

`operations(schema)` is a Hypothesis strategy of (root type, document, variables): one root field
of Query, Mutation or Subscription with every argument passed as a variable, each value drawn
from its GraphQL type. Strings, ids and cursors lean towards what breaks databases: text longer
than any column, numbers beyond 64 bits, non-ASCII digits (`School:²`), lists longer than the
server allows. Used by `tests/schema/test_argument_fuzz.py` (small) and `bench/argument_fuzz.py`
(large).
"""

from __future__ import annotations

import base64
import functools
import string
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)
from hypothesis import strategies as st

NODE_TYPES = ["School", "Program", "BudgetLine", "SyncIssue", "SyncConflict", "ChangeEvent", "Nope", ""]
# Numbers that break something somewhere: 32-bit and 64-bit edges, beyond them, and forms that
# Python's int() reads but a database column never held (non-ASCII digits, underscores, signs).
ODD_NUMBERS = [
    "0",
    "1",
    "-1",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "²",
    "٣",
    "１",
    "1_0",
    "+1",
    " 1",
    "1 ",
    "",
    "0x1",
    "1e3",
]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()


_numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS), st.integers(-(2**70), 2**70).map(str), st.text(string.digits, max_size=30)
)
_codes = st.text(string.ascii_uppercase + string.digits + "-_", min_size=0, max_size=40)
_text = st.one_of(
    st.text(max_size=12),
    _codes,
    st.text(min_size=20, max_size=300),
    st.sampled_from(["미사", "위례", "S0000", "PS0000", "HN2026-GS-001", "=SUM(A1)", "x" * 10_000]),
)
_global_ids = st.one_of(
    st.builds(lambda t, n: _b64(f"{t}:{n}"), st.sampled_from(NODE_TYPES), _numbers),
    st.builds(lambda t, n: _b64(f"{t}:{n}"), st.sampled_from(NODE_TYPES), st.text(max_size=8)),
    st.text(max_size=20),
)
_cursors = st.one_of(
    st.builds(lambda n: _b64(f"offset:{n}"), _numbers),
    st.text(max_size=20).map(_b64),
    st.text(max_size=20),
)
_ints = st.one_of(st.integers(-(2**31), 2**31 - 1), st.sampled_from([0, 1, 20, 100, 101, 2000, 2100]))
_won = st.one_of(
    st.integers(-(2**64), 2**64),
    st.sampled_from([0, 1, 2**53 - 1, 2**53, 2**63 - 1, 2**63]),
    st.floats(allow_nan=False),
)


@dataclass(frozen=True)
class Operation:
    root: str  # "query", "mutation" or "subscription"
    field: str
    document: str
    variables: dict[str, Any]


def _scalar(name: str, argument: str) -> st.SearchStrategy[Any]:
    if name == "String":
        return _cursors if argument == "after" else _text
    if name == "ID":
        return _global_ids
    if name == "Int":
        return _ints
    if name == "Won":
        return _won
    if name == "Float":
        return st.floats(allow_nan=False)
    if name == "Boolean":
        return st.booleans()
    return st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10))


def value_of(kind: GraphQLInputType, argument: str, *, long_list: int) -> st.SearchStrategy[Any]:
    """Values for an input of type `kind` (mostly valid shapes, so the resolvers run)."""
    if isinstance(kind, GraphQLNonNull):
        return _value(kind.of_type, argument, long_list=long_list)
    return st.one_of(st.none(), _value(kind, argument, long_list=long_list))


def _value(kind: GraphQLInputType, argument: str, *, long_list: int) -> st.SearchStrategy[Any]:
    if isinstance(kind, GraphQLList):
        item = value_of(kind.of_type, argument, long_list=long_list)
        # Now and then a list one longer than the server allows, to see it refused readably.
        too_long = item.map(lambda value: [value] * long_list)
        return st.one_of(st.lists(item, max_size=4), too_long)
    if isinstance(kind, GraphQLEnumType):
        return st.sampled_from(list(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for name, field in kind.fields.items():
            strategy = value_of(field.type, name, long_list=long_list)
            (required if isinstance(field.type, GraphQLNonNull) else optional)[name] = strategy
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(kind, GraphQLScalarType)
    return _scalar(kind.name, argument)


def selection(kind: GraphQLOutputType) -> str:
    """Every leaf of the returned type, and `__typename` of each object below it (one level)."""
    named = get_named_type(kind)
    if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return ""
    parts = ["__typename"]
    for name, field in named.fields.items():
        if field.args:
            continue
        below = get_named_type(field.type)
        parts.append(f"{name} {{ __typename }}" if isinstance(below, GraphQLObjectType) else name)
    return "{ " + " ".join(parts) + " }"


def _document(root: str, name: str, field: GraphQLField) -> str:
    declared = ", ".join(f"${arg}: {definition.type}" for arg, definition in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    head = f"{root} Fuzz({declared})" if declared else f"{root} Fuzz"
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call} {selection(field.type)} }}"


def operations(schema: GraphQLSchema, *, long_list: int) -> st.SearchStrategy[Operation]:
    """One root field with arguments, its document and generated variables."""
    choices: list[st.SearchStrategy[Operation]] = []
    for root, kind in (
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
        ("subscription", schema.subscription_type),
    ):
        if kind is None:
            continue
        for name, field in kind.fields.items():
            if not field.args:
                continue
            document = _document(root, name, field)
            arguments = {
                arg: value_of(definition.type, arg, long_list=long_list)
                for arg, definition in field.args.items()
            }
            choices.append(
                st.fixed_dictionaries(arguments).map(functools.partial(Operation, root, name, document))
            )
    return st.one_of(choices)


def argument_count(schema: GraphQLSchema) -> int:
    """How many (root field, argument) pairs the strategy covers."""
    return sum(
        len(field.args)
        for kind in (schema.query_type, schema.mutation_type, schema.subscription_type)
        if kind is not None
        for field in kind.fields.values()
    )
