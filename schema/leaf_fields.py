"""An execution context that completes plain data fields without graphql-core's per-field path.

For every field graphql-core builds a resolve info (a named tuple of 14 items), calls the
resolver through strawberry's wrappers and dispatches on the return type, even for a field
that only reads an attribute and returns a string. In a 2,500-line tree nearly all of the
9,000 fields are such fields. This context answers them directly when strawberry itself
treats the field as basic (no resolver, no permission, no extension, no exception handler:
strawberry's own `_get_basic_result` resolver) and its type is a scalar or an enum: read the
attribute as strawberry would, coerce it with the type's own `coerce_output_value`.

Anything else, and anything unusual on the way (a null for a non-null field, a value the
scalar refuses, a field node with arguments or directives, middleware), goes through
graphql-core's `execute_field` unchanged, which reads and coerces again and reports errors
exactly as before. Nothing here decides what a caller may see.

    strawberry.Schema(query=Query, execution_context_class=LeafFieldsExecutionContext)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import GraphQLLeafType, GraphQLNonNull, GraphQLObjectType, Undefined, is_leaf_type
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path
from graphql.pyutils.undefined import UndefinedType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

BASIC_RESOLVER_NAME = "_get_basic_result"  # what strawberry's converter gives basic fields


@dataclass(frozen=True)
class LeafPlan:
    read: Callable[[Any, str], Any]  # the field's default resolver (getattr unless configured)
    name: str  # the Python attribute
    leaf: GraphQLLeafType
    nullable: bool


@lru_cache(maxsize=8192)
def leaf_plan(parent_type: GraphQLObjectType, field_name: str) -> LeafPlan | None:
    """How to answer `parent_type.field_name` directly, or None when graphql-core must."""
    field_def = parent_type.fields.get(field_name)
    if field_def is None or field_def.args:
        return None
    resolver = field_def.resolve
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or getattr(resolver, "__name__", "") != BASIC_RESOLVER_NAME:
        return None
    if not definition.is_basic_field or definition.base_resolver is not None:
        return None
    nullable = not isinstance(field_def.type, GraphQLNonNull)
    leaf = field_def.type if nullable else field_def.type.of_type
    if not is_leaf_type(leaf):
        return None
    return LeafPlan(
        read=definition.default_resolver, name=definition.python_name, leaf=leaf, nullable=nullable
    )


class LeafFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, with plain data fields completed in one step."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any] | UndefinedType:
        node = field_details_list[0].node
        plan = None if node.arguments or node.directives else leaf_plan(parent_type, node.name.value)
        # strawberry always passes a manager; it wraps resolvers only when it holds middleware.
        manager = self.middleware_manager
        if plan is not None and (manager is None or not manager.middlewares):
            value = plan.read(source, plan.name)
            if value is None:
                if plan.nullable:
                    return None
            elif not isinstance(value, Exception):  # graphql-core raises those as field errors
                try:
                    coerced = plan.leaf.coerce_output_value(value)
                except Exception:  # graphql-core reports it, below
                    coerced = Undefined
                if coerced is not None and coerced is not Undefined:
                    return coerced
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
