"""The hook: an execution context that answers planned operations itself.

graphql-core groups the root fields (so @include/@skip, aliases and fragments are its own);
`execute_collected_root_fields` then either runs the operation's plan or hands over to the
executor. Plans are cached per operation node (the document cache keeps one node per query
text) and per value of the variables @include/@skip read, so a repeated query plans nothing.
A plan that meets something it cannot answer exactly (`nodes.Fallback`), or any other exception
(a database that is down, a bug; logged), is dropped for that request only: the executor runs
the operation and reports errors exactly as it does; nothing the plan did is visible, as it
only reads.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Mapping
from typing import Any, ClassVar

from cachetools import LRUCache
from graphql import GraphQLObjectType, OperationType
from graphql.execution.collect_fields import FieldDetailsList
from graphql.language import (
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.pyutils import AwaitableOrValue

from schema.context import Context
from schema.leaf_fields import LeafFieldsExecutionContext
from schema.listings import Listing
from schema.planned import nodes
from schema.planned.planner import Planner, Unplanned

logger = logging.getLogger(__name__)
CONDITIONS = frozenset({"include", "skip"})
# ((response key, root step) pairs, columns read per model); None: not planned.
Plan = tuple[list[tuple[str, Any]], dict[Any, tuple[str, ...]]] | None


class OperationPlans:
    """The plans of one operation, by the values of the variables its @include/@skip read."""

    def __init__(self, operation: OperationDefinitionNode, fragment_sets: list[SelectionSetNode]) -> None:
        self.operation = operation
        self.condition_variables, self.plannable = _conditions([operation.selection_set, *fragment_sets])
        self.plans: dict[tuple[Any, ...], Plan] = {}


def _conditions(selection_sets: list[SelectionSetNode]) -> tuple[tuple[str, ...], bool]:
    """The variables @include/@skip read, and whether every directive is one of those."""
    names: set[str] = set()
    while selection_sets:
        for selection in selection_sets.pop().selections:
            for directive in selection.directives or ():
                if not _condition(directive, names):
                    return (), False
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                selection_sets.append(selection.selection_set)
            elif not isinstance(selection, FieldNode | InlineFragmentNode | FragmentSpreadNode):
                return (), False
    return tuple(sorted(names)), True


def _condition(directive: DirectiveNode, names: set[str]) -> bool:
    if directive.name.value not in CONDITIONS:
        return False
    for argument in directive.arguments or ():
        if isinstance(argument.value, VariableNode):
            names.add(argument.value.name.value)
    return True


def planned_execution(
    listings: dict[str, tuple[Listing, str]],
    summaries: Mapping[str, nodes.GroupRows] | None = None,
    *,
    maxsize: int = 256,
) -> type[LeafFieldsExecutionContext]:
    """An execution context class planning the given root fields (one plan cache per schema):
    record listings and look-ups, and summaries by their groups' computation."""
    summary_roots = summaries or {}
    cache: LRUCache[int, OperationPlans] = LRUCache(maxsize)

    class PlannedExecutionContext(LeafFieldsExecutionContext):
        plan_cache = cache
        # How operations went: answered by a plan, planned but handed over, never planned.
        outcomes: ClassVar[Counter[str]] = Counter()

        def execute_collected_root_fields(
            self,
            root_type: GraphQLObjectType,
            root_value: Any,
            grouped_field_set: dict[str, FieldDetailsList],
            serially: bool,
            new_defer_usages: Any,
        ) -> AwaitableOrValue[dict[str, Any]]:
            plan = None
            if self.operation.operation is OperationType.QUERY and not new_defer_usages:
                plan = self._plan(root_type, grouped_field_set)
            if plan is None:
                self.outcomes["unplanned"] += 1
                return super().execute_collected_root_fields(
                    root_type, root_value, grouped_field_set, serially, new_defer_usages
                )
            return self._answer(plan, root_type, root_value, grouped_field_set, serially, new_defer_usages)

        def _plan(self, root_type: GraphQLObjectType, grouped: dict[str, FieldDetailsList]) -> Plan:
            operation = self.operation
            entry = cache.get(id(operation))
            if entry is None or entry.operation is not operation:
                fragments = [f.definition.selection_set for f in self.fragments.values()]
                if any(f.definition.variable_definitions for f in self.fragments.values()):
                    return None  # fragment arguments (experimental): left to graphql-core
                entry = OperationPlans(operation, fragments)
                cache[id(operation)] = entry
            if not entry.plannable or self.abort_signal is not None:
                return None
            coerced = self.variable_values.coerced
            key = tuple(coerced.get(name) for name in entry.condition_variables)
            if key not in entry.plans:
                planner = Planner(
                    self.schema, self.fragments, self.variable_values, operation, listings, summary_roots
                )
                try:
                    entry.plans[key] = (planner.root(root_type, grouped), planner.columns())
                except Unplanned:
                    entry.plans[key] = None
            return entry.plans[key]

        async def _answer(
            self,
            plan: tuple[list[tuple[str, Any]], dict[Any, tuple[str, ...]]],
            root_type: GraphQLObjectType,
            root_value: Any,
            grouped: dict[str, FieldDetailsList],
            serially: bool,
            new_defer_usages: Any,
        ) -> dict[str, Any]:
            steps, columns = plan
            strawberry_schema = self.schema._strawberry_schema  # type: ignore[attr-defined]
            run = nodes.Run(self.context_value, self.variable_values, strawberry_schema, columns)
            try:
                answer = {key: await step.answer(run) for key, step in steps}
            except nodes.Fallback:  # a signal: the executor words the error or the null
                self.outcomes["fallback"] += 1
            except Exception as error:
                # A fault (the database gone, a bug): the executor still answers, and reports it as it
                # would; the log keeps what went wrong here, which the executor may not meet again.
                logger.exception(
                    "planned execution of %s failed, the executor answers instead: %r",
                    self.operation.name.value if self.operation.name else "an anonymous operation",
                    error,
                )
                self.outcomes["fallback"] += 1
            else:
                self.outcomes["planned"] += 1
                entry = cache.get(id(self.operation))
                if isinstance(self.context_value, Context) and entry is not None:
                    self.context_value.planned = entry  # schema.planned.direct learns from it
                return answer
            result = super().execute_collected_root_fields(
                root_type, root_value, grouped, serially, new_defer_usages
            )
            if isinstance(result, Awaitable):
                return await result
            return result

    return PlannedExecutionContext


def outcomes_of(schema: Any) -> Counter[str]:
    """How a schema's operations went so far ("planned", "fallback", "unplanned"); empty when
    the schema does not plan."""
    outcomes: Counter[str] | None = getattr(schema.execution_context_class, "outcomes", None)
    return Counter() if outcomes is None else outcomes
