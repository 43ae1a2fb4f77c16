"""The steps of a plan: each turns the rows of one level into response values.

An `ObjectPlan` builds the response dicts of one record type from its `.values()` rows, in the
response-key order graphql-core would use; a relation below it loads the rows of the next level
for all parents in one statement (`schema.batch_rows`). A value the planned path cannot answer
exactly as the executor would (a null in a non-null field, a refused argument, a viewer without
access) raises `Fallback`, and the whole operation runs through graphql-core instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphql import GraphQLField, GraphQLLeafType
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import FieldNode
from strawberry import relay
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments
from tortoise.models import Model

from models import budget_figures
from schema.batch_rows import rows_where_in
from schema.bounds import check_length
from schema.errors import ClientError
from schema.joined_rows import parent_with_children
from schema.listings import Listing
from schema.ordering import order_terms
from schema.pagination import encode_cursor, page_bounds
from schema.permissions import can_read_restricted


class Fallback(Exception):  # a signal, not an error
    """The planned path cannot answer this exactly: run the normal executor."""


@dataclass
class Run:
    """One request's state: its context, variables and the rows already loaded."""

    context: Any  # schema.context.Context
    variables: VariableValues
    strawberry_schema: Any  # strawberry.Schema (its scalar registry and config)
    # The columns the plan reads of each model, the same at every level: rows kept in `known`
    # have every column any step of this operation reads.
    columns: Mapping[type[Model], tuple[str, ...]]
    loaded: dict[tuple[Any, ...], list[dict[str, Any]]] = field(default_factory=dict)
    # Full rows this request holds, by model and id: walking back up (`budgetLines { program }`)
    # reads them instead of the database, as the executor's loaders do.
    known: dict[type[Model], dict[int, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))

    def remember(self, model: type[Model], rows: list[dict[str, Any]]) -> None:
        self.known[model].update((row["id"], row) for row in rows)

    async def by_id(
        self, model: type[Model], columns: tuple[str, ...], ids: list[int]
    ) -> list[dict[str, Any]]:
        """Rows of `model` with these ids (any order), from memory where this request has them."""
        known = self.known[model]
        missing = [key for key in ids if key not in known]
        if missing:
            self.remember(model, await self.rows(model, columns, "id", missing, "id", False))
        return [known[key] for key in ids if key in known]

    async def rows(
        self, model: type[Model], columns: Sequence[str], column: str, keys: list[int], order: str, live: bool
    ) -> list[dict[str, Any]]:
        """Rows of `model` whose `column` is in `keys`, once per request (aliases share them)."""
        key = self.rows_key(model, columns, column, keys, order, live)
        found = self.loaded.get(key)
        if found is None:
            found = await rows_where_in(model, columns, column, keys, order=order, live_only=live)
            self.loaded[key] = found
            self.remember(model, found)  # with the plan's columns of `model`, as every load
        return found

    @staticmethod
    def rows_key(
        model: type[Model], columns: Sequence[str], column: str, keys: list[int], order: str, live: bool
    ) -> tuple[Any, ...]:
        """What `rows` keeps a load under: a load made elsewhere for the same rows is seeded so."""
        return (model, tuple(columns), column, tuple(keys), order, live)

    def arguments(self, field_def: GraphQLField, node: FieldNode) -> dict[str, Any]:
        """The field's arguments as its strawberry resolver receives them."""
        raw = get_argument_values(field_def, node, self.variables)
        schema = self.strawberry_schema
        definition = field_def.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
        return convert_arguments(
            raw,
            definition.arguments,
            scalar_registry=schema.schema_converter.scalar_registry,
            config=schema.config,
        )


# A step: (rows of the parent level, run) -> one response value per row.
Step = Callable[[list[dict[str, Any]], Run], Any]


def leaf_value(value: Any, leaf: GraphQLLeafType, nullable: bool) -> Any:
    if value is None:
        if nullable:
            return None
        raise Fallback
    coerced = leaf.coerce_output_value(value)
    if coerced is None:
        raise Fallback
    return coerced


# The Python type each leaf type's serializer returns unchanged (`str` for String: it is the
# value itself; `int`, never `bool`, for Won): such a value skips the call, the same answer. Int
# (32-bit range), Float (finite) and enums (their names) always go through their serializer.
UNCHANGED: dict[str, type] = {"String": str, "ID": str, "Boolean": bool, "Won": int}


@dataclass
class Leaf:
    """A data field read from its column."""

    column: str
    leaf: GraphQLLeafType
    nullable: bool
    unchanged: type | None = field(init=False)

    def __post_init__(self) -> None:
        self.unchanged = UNCHANGED.get(self.leaf.name)

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        column, leaf, nullable, unchanged = self.column, self.leaf, self.nullable, self.unchanged
        if unchanged is None:
            return [leaf_value(row[column], leaf, nullable) for row in rows]
        found = [row[column] for row in rows]
        return [v if type(v) is unchanged else leaf_value(v, leaf, nullable) for v in found]


@dataclass
class Constant:
    """`__typename`."""

    value: str

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        return [self.value] * len(rows)


@dataclass
class GlobalId:
    """`id`: the Relay global id of the record type."""

    type_name: str

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        name = self.type_name
        return [relay.to_base64(name, str(row["id"])) for row in rows]


@dataclass
class ExecutionRate:
    """`BudgetLine.executionRate`, computed as its resolver does."""

    leaf: GraphQLLeafType

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        rates = [
            budget_figures.execution_rate(row["executed"], row["allocated"], row["carried_in"])
            for row in rows
        ]
        return [leaf_value(rate, self.leaf, True) for rate in rates]


@dataclass
class BudgetCurrent:
    """`BudgetLine.budgetCurrent` (예산현액), computed as its resolver does."""

    leaf: GraphQLLeafType

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        currents = [budget_figures.budget_current(row["allocated"], row["carried_in"]) for row in rows]
        return [leaf_value(current, self.leaf, False) for current in currents]


@dataclass
class ObjectPlan:
    """The response dicts of one record type: its fields in response-key order."""

    fields: list[tuple[str, Any]]  # (response key, step with `values`)

    async def build(self, rows: list[dict[str, Any]], run: Run) -> list[dict[str, Any]]:
        columns = [await step.values(rows, run) for _, step in self.fields]
        keys = [key for key, _ in self.fields]
        if not keys:  # every field skipped (@skip/@include): an empty object per record
            return [{} for _ in rows]
        return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]


@dataclass
class Children:
    """A list of live child records (`School.programs`, `Program.budgetLines`)."""

    model: type[Model]
    parent_column: str
    order: str
    plan: ObjectPlan
    restricted: bool = False

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        if self.restricted and not can_read_restricted(run.context.viewer):
            raise Fallback  # the executor reports the refusal, with its error entry
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        columns = run.columns[self.model]
        children = await run.rows(self.model, columns, self.parent_column, ids, self.order, True)
        built = await self.plan.build(children, run)
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for child, value in zip(children, built, strict=True):
            grouped[child[self.parent_column]].append(value)
        return [grouped.get(key, []) for key in ids]


@dataclass
class Parent:
    """The record a foreign key points at (`Program.school`, `BudgetLine.program`, `schoolCode`)."""

    model: type[Model]
    key_column: str
    nullable: bool
    plan: ObjectPlan | None = None  # None: the parent's `code` itself (`schoolCode`)
    leaf: GraphQLLeafType | None = None

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        keys = sorted({row[self.key_column] for row in rows if row[self.key_column] is not None})
        parents = await run.by_id(self.model, run.columns[self.model], keys) if keys else []
        if self.plan is None:
            assert self.leaf is not None
            by_id: dict[int, Any] = {p["id"]: leaf_value(p["code"], self.leaf, True) for p in parents}
        else:
            by_id = dict(zip([p["id"] for p in parents], await self.plan.build(parents, run), strict=True))
        found: list[Any] = []
        for row in rows:
            key = row[self.key_column]
            value = None if key is None else by_id.get(key)
            if value is None and not (self.nullable or self.plan is None):
                raise Fallback
            found.append(value)
        return found


@dataclass
class ConnectionField:
    """A root connection (`schools(filter:, orderBy:, first:, after:)`)."""

    listing: Listing
    field_def: GraphQLField
    node: FieldNode
    restricted: bool
    page: list[tuple[str, str, Any]]  # (response key, part, detail)

    async def answer(self, run: Run) -> Any:
        context = run.context
        if self.restricted and not can_read_restricted(context.viewer):
            raise Fallback
        args = run.arguments(self.field_def, self.node)
        try:
            listing = self.listing
            query = listing.row.filter(**listing.conditions(args.get("filter")))
            settings = context.settings
            offset, limit = page_bounds(
                args.get("first"),
                args.get("after"),
                default=settings.default_page_size,
                maximum=settings.max_page_size,
            )
        except ClientError as error:  # a refused argument: the executor words the error
            raise Fallback from error
        order = order_terms(args.get("order_by"), listing.default_order)
        rows: list[dict[str, Any]] = (
            await query.order_by(*order).offset(offset).limit(limit + 1).values(*run.columns[listing.row])
        )
        more, rows = len(rows) > limit, rows[:limit]
        run.remember(listing.row, rows)
        cursors = [encode_cursor(offset + i) for i in range(len(rows))]
        answer: dict[str, Any] = {}
        for key, part, detail in self.page:
            if part == "__typename":
                answer[key] = detail
            elif part == "totalCount":
                answer[key] = await query.count()
            elif part == "nodes":
                answer[key] = await detail.build(rows, run)
            elif part == "edges":
                answer[key] = await _edges(detail, rows, cursors, run)
            else:  # pageInfo
                answer[key] = _page_info(detail, more, offset, cursors)
        return answer


async def _edges(
    fields: list[tuple[str, str, Any]], rows: list[dict[str, Any]], cursors: list[str], run: Run
) -> list[dict[str, Any]]:
    parts: list[list[Any]] = []
    for _, part, detail in fields:
        if part == "__typename":
            parts.append([detail] * len(rows))
        elif part == "cursor":
            parts.append(cursors)
        else:
            parts.append(await detail.build(rows, run))
    keys = [key for key, _, _ in fields]
    if not keys:
        return [{} for _ in rows]
    return [dict(zip(keys, values, strict=True)) for values in zip(*parts, strict=True)]


def _page_info(fields: list[tuple[str, str]], more: bool, offset: int, cursors: list[str]) -> dict[str, Any]:
    values = {
        "hasNextPage": more,
        "hasPreviousPage": offset > 0,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
    }
    return {key: values[name] for key, name in fields}


@dataclass
class ByCodeField:
    """A root look-up (`school(code:)`, `program(code:)`, `partner(code:)`)."""

    listing: Listing
    field_def: GraphQLField
    node: FieldNode
    plan: ObjectPlan

    async def answer(self, run: Run) -> Any:
        code = run.arguments(self.field_def, self.node)["code"]
        listing = self.listing
        try:
            check_length(code, model=listing.row, column="code", argument="code")
        except ClientError as error:
            raise Fallback from error
        columns = run.columns[listing.row]
        rows = await self._with_children(run, code)
        if rows is None:
            rows = await rows_where_in(listing.row, columns, "code", [code], order="id", live_only=False)
        if not rows:
            return None
        run.remember(listing.row, rows[:1])
        return (await self.plan.build(rows[:1], run))[0]

    async def _with_children(self, run: Run, code: str) -> list[dict[str, Any]] | None:
        """The record's rows, its children's rows loaded in the same statement and left where
        `Children` reads them (`run.rows`), when the answer reads one kind of child; else None."""
        steps = [step for _, step in self.plan.fields if isinstance(step, Children)]
        kinds = {(step.model, step.parent_column, step.order, step.restricted) for step in steps}
        if len(kinds) != 1:
            return None
        model, parent_column, order, restricted = kinds.pop()
        if restricted and not can_read_restricted(run.context.viewer):
            return None  # `Children` hands the answer over to the executor: nothing to load
        row, child_columns = self.listing.row, run.columns[model]
        found = await parent_with_children(
            row, run.columns[row], "code", code, model, child_columns, parent_column, order
        )
        if found is None:
            return None
        parents, children = found
        if parents:
            key = run.rows_key(model, child_columns, parent_column, [parents[0]["id"]], order, True)
            run.loaded[key] = children
            run.remember(model, children)
        return parents


# A summary's computation: (groupBy, filter, the group fields the answer reads) -> its groups as
# dicts of the group type's fields (a summary may leave out fields the answer does not read).
GroupRows = Callable[[Sequence[Any], Any, frozenset[str]], Awaitable[list[dict[str, Any]]]]


@dataclass
class KeyList:
    """A summary group's `keys`: the key dicts of every group built in one pass."""

    plan: ObjectPlan

    async def values(self, rows: list[dict[str, Any]], run: Run) -> list[Any]:
        built = await self.plan.build([key for row in rows for key in row["keys"]], run)
        found: list[Any] = []
        start = 0
        for row in rows:
            end = start + len(row["keys"])
            found.append(built[start:end])
            start = end
        return found


@dataclass
class SummaryField:
    """A root summary (`budgetSummary(groupBy:, filter:)`): one GROUP BY, groups built directly."""

    rows: GroupRows
    field_def: GraphQLField
    node: FieldNode
    plan: ObjectPlan

    @cached_property
    def read(self) -> frozenset[str]:
        """The group fields the answer reads (`keys` aside): the summary computes no others."""
        return frozenset(step.column for _, step in self.plan.fields if isinstance(step, Leaf))

    async def answer(self, run: Run) -> Any:
        args = run.arguments(self.field_def, self.node)
        try:
            groups = await self.rows(args["group_by"], args.get("filter"), self.read)
        except ClientError as error:  # a refused argument (a text over its column): the executor words it
            raise Fallback from error
        return await self.plan.build(groups, run)


@dataclass
class RootTypename:
    value: str

    async def answer(self, run: Run) -> Any:
        return self.value
