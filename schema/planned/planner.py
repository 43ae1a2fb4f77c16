"""Which operations are planned, and their plans: built from graphql-core's own field collection.

The root fields are grouped by graphql-core (`collect_fields`), and every level below by its
`collect_subfields`, so aliases, fragments, field merging and @include/@skip give exactly the
response keys, in exactly the order, the executor would. A field the planner does not know
(custom resolvers, `node(id:)`, partners' programs, history, summaries, introspection) makes the
whole operation unplanned: `plan_root` returns None and graphql-core executes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails, collect_subfields
from graphql.execution.values import VariableValues
from graphql.language import OperationDefinitionNode
from tortoise.models import Model

from models.budget_line import BudgetLine as BudgetLineRow
from models.partner import Partner as PartnerRow
from models.program import Program as ProgramRow
from models.school import School as SchoolRow
from schema.leaf_fields import leaf_plan
from schema.listings import Listing
from schema.partner_records import PARTNER_COLUMNS
from schema.planned import nodes
from schema.records import BUDGET_LINE_COLUMNS, PROGRAM_COLUMNS, SCHOOL_COLUMNS

MODELS: dict[str, type[Model]] = {
    "School": SchoolRow,
    "Program": ProgramRow,
    "BudgetLine": BudgetLineRow,
    "Partner": PartnerRow,
}
# Every column of each model a plan may read, in order, and those every row keeps: its id and
# the keys its relations follow.
COLUMNS: dict[type[Model], tuple[str, ...]] = {
    SchoolRow: SCHOOL_COLUMNS,
    ProgramRow: PROGRAM_COLUMNS,
    BudgetLineRow: BUDGET_LINE_COLUMNS,
    PartnerRow: PARTNER_COLUMNS,
}
KEYS: dict[type[Model], frozenset[str]] = {
    SchoolRow: frozenset({"id"}),
    ProgramRow: frozenset({"id", "school_id"}),
    BudgetLineRow: frozenset({"id", "program_id"}),
    PartnerRow: frozenset({"id"}),
}
PAGE_INFO_FIELDS = frozenset({"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"})


class Unplanned(Exception):  # a signal, not an error
    """The operation asks for something the planner does not know."""


class Planner:
    """Builds the plan of one operation for one set of variable values (@include/@skip)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
        operation: OperationDefinitionNode,
        listings: dict[str, tuple[Listing, str]],  # root field -> (listing, "connection"|"code")
        summaries: Mapping[str, nodes.GroupRows],  # root field -> its groups' computation
    ) -> None:
        self.schema, self.fragments, self.variables, self.operation = schema, fragments, variables, operation
        self.listings, self.summaries = listings, summaries
        self.needed: dict[type[Model], set[str]] = defaultdict(set)

    def columns(self) -> dict[type[Model], tuple[str, ...]]:
        """The columns to read of each model, once the operation is planned (`nodes.Run.columns`)."""
        found = {model: tuple(c for c in COLUMNS[model] if c in self.needed[model]) for model in COLUMNS}
        return {model: columns or ("id",) for model, columns in found.items()}

    def subfields(
        self, parent: GraphQLObjectType, details: FieldDetailsList
    ) -> list[tuple[str, FieldDetailsList]]:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, parent, details
        )
        if collected.new_defer_usages or collected.forbidden_directive_instances:
            raise Unplanned
        return list(collected.grouped_field_set.items())

    def root(
        self, root_type: GraphQLObjectType, grouped: dict[str, FieldDetailsList]
    ) -> list[tuple[str, Any]]:
        planned: list[tuple[str, Any]] = []
        for key, details in grouped.items():
            name = details[0].node.name.value
            if name == "__typename":
                planned.append((key, nodes.RootTypename(root_type.name)))
                continue
            field_def = root_type.fields.get(name)
            if field_def is None:  # __schema, __type: introspection
                raise Unplanned
            node = details[0].node
            summary = self.summaries.get(name)
            if summary is not None:
                groups = self.group(_object(field_def.type), details)
                planned.append((key, nodes.SummaryField(summary, field_def, node, groups)))
                continue
            found = self.listings.get(name)
            if found is None:
                raise Unplanned
            listing, kind = found
            record_type = _object(field_def.type)
            if kind == "code":
                planned.append(
                    (key, nodes.ByCodeField(listing, field_def, node, self.record(record_type, details)))
                )
            else:
                page = self.connection(record_type, details)
                restricted = name == "budgetLines"
                planned.append((key, nodes.ConnectionField(listing, field_def, node, restricted, page)))
        return planned

    def connection(
        self, connection_type: GraphQLObjectType, details: FieldDetailsList
    ) -> list[tuple[str, str, Any]]:
        page: list[tuple[str, str, Any]] = []
        for key, sub in self.subfields(connection_type, details):
            name = sub[0].node.name.value
            field_type = (
                _object(connection_type.fields[name].type) if name in {"edges", "nodes", "pageInfo"} else None
            )
            if name == "__typename":
                page.append((key, name, connection_type.name))
            elif name == "totalCount":
                page.append((key, name, None))
            elif name == "nodes":
                assert field_type is not None
                page.append((key, name, self.record(field_type, sub)))
            elif name == "edges":
                assert field_type is not None
                page.append((key, name, self.edges(field_type, sub)))
            elif name == "pageInfo":
                assert field_type is not None
                page.append((key, name, self.page_info(field_type, sub)))
            else:
                raise Unplanned
        return page

    def edges(self, edge_type: GraphQLObjectType, details: FieldDetailsList) -> list[tuple[str, str, Any]]:
        fields: list[tuple[str, str, Any]] = []
        for key, sub in self.subfields(edge_type, details):
            name = sub[0].node.name.value
            if name == "__typename":
                fields.append((key, name, edge_type.name))
            elif name == "cursor":
                fields.append((key, name, None))
            elif name == "node":
                fields.append((key, name, self.record(_object(edge_type.fields[name].type), sub)))
            else:
                raise Unplanned
        return fields

    def page_info(self, info_type: GraphQLObjectType, details: FieldDetailsList) -> list[tuple[str, str]]:
        fields: list[tuple[str, str]] = []
        for key, sub in self.subfields(info_type, details):
            name = sub[0].node.name.value
            if name not in PAGE_INFO_FIELDS:
                raise Unplanned  # __typename too: PageInfo's is rare enough to leave to the executor
            fields.append((key, name))
        return fields

    def record(self, record_type: GraphQLObjectType, details: FieldDetailsList) -> nodes.ObjectPlan:
        if record_type.name not in MODELS:
            raise Unplanned
        model = MODELS[record_type.name]
        self.needed[model] |= KEYS[model]
        fields: list[tuple[str, Any]] = []
        for key, sub in self.subfields(record_type, details):
            node = sub[0].node
            name = node.name.value
            fields.append((key, self.record_field(record_type, name, sub, bool(node.arguments))))
        return nodes.ObjectPlan(fields)

    def group(self, group_type: GraphQLObjectType, details: FieldDetailsList) -> nodes.ObjectPlan:
        """A summary group (or its key): plain fields of the dicts the summary builds, and `keys`."""
        fields: list[tuple[str, Any]] = []
        for key, sub in self.subfields(group_type, details):
            node = sub[0].node
            name = node.name.value
            leaf = None if node.arguments else leaf_plan(group_type, name)
            if name == "__typename":
                fields.append((key, nodes.Constant(group_type.name)))
            elif name == "keys" and not node.arguments:
                fields.append((key, nodes.KeyList(self.group(_object(group_type.fields[name].type), sub))))
            elif leaf is not None:
                fields.append((key, nodes.Leaf(leaf.name, leaf.leaf, leaf.nullable)))
            else:
                raise Unplanned
        return nodes.ObjectPlan(fields)

    def record_field(
        self, record_type: GraphQLObjectType, name: str, details: FieldDetailsList, has_arguments: bool
    ) -> Any:
        type_name = record_type.name
        if has_arguments:
            raise Unplanned
        if name == "__typename":
            return nodes.Constant(type_name)
        if name == "id":
            return nodes.GlobalId(type_name)
        leaf = leaf_plan(record_type, name)
        if leaf is not None:
            self.needed[MODELS[type_name]].add(leaf.name)
            return nodes.Leaf(leaf.name, leaf.leaf, leaf.nullable)
        field_type = record_type.fields[name].type
        named = get_named_type(field_type)
        relation = (type_name, name)
        if relation == ("BudgetLine", "executionRate") and is_leaf_type(named):
            self.needed[MODELS[type_name]] |= {"allocated", "executed", "carried_in"}
            return nodes.ExecutionRate(named)
        if relation == ("BudgetLine", "budgetCurrent") and is_leaf_type(named):
            self.needed[MODELS[type_name]] |= {"allocated", "carried_in"}
            return nodes.BudgetCurrent(named)
        if relation == ("Program", "schoolCode") and is_leaf_type(named):
            self.needed[SchoolRow] |= {"id", "code"}
            return nodes.Parent(SchoolRow, "school_id", True, None, named)
        if not is_object_type(named):
            raise Unplanned
        assert isinstance(named, GraphQLObjectType)
        if relation == ("School", "programs"):
            plan = self.record(named, details)
            return nodes.Children(ProgramRow, "school_id", "code", plan)
        if relation == ("Program", "budgetLines"):
            plan = self.record(named, details)
            return nodes.Children(BudgetLineRow, "program_id", "id", plan, restricted=True)
        if relation == ("Program", "school"):
            return nodes.Parent(SchoolRow, "school_id", True, self.record(named, details))
        if relation == ("BudgetLine", "program"):
            return nodes.Parent(ProgramRow, "program_id", False, self.record(named, details))
        raise Unplanned


def _object(field_type: Any) -> GraphQLObjectType:
    named = get_named_type(field_type)
    if not isinstance(named, GraphQLObjectType):
        raise Unplanned
    return named
