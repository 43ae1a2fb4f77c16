"""Every type, field, argument, input field and enum value of the schema carries a description."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
)

from api.settings import Settings
from schema.root import build_schema

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def _undocumented() -> list[str]:
    schema = build_schema(Settings(_env_file=None))._schema
    missing: list[str] = []
    for name, named in schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not named.description:
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                args = field.args.items()
                missing += [f"{name}.{field_name}({arg})" for arg, a in args if not a.description]
        elif isinstance(named, GraphQLInputObjectType):
            missing += [f"{name}.{field}" for field, f in named.fields.items() if not f.description]
        elif isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in named.values.items() if not v.description]
        elif not isinstance(named, GraphQLScalarType):
            raise AssertionError(f"unexpected kind of type: {name}")
    return missing


def test_everything_is_described() -> None:
    assert _undocumented() == []
