"""A repeated query without variables, answered by its plan alone, before strawberry runs.

A planned query still pays strawberry's and graphql-core's per-request work around its plan:
extension hooks, an execution context, variable coercion, root field collection, the result
objects. For a query that has no variables all of that decides the same thing every time: the
same text parses, validates and passes every protective limit the same way, names the same
operation and groups the same root fields, so it always reaches the same plan. `DirectPlans`
learns such a query from a normal run that the plan answered without any error, and from then
on runs that plan directly: the same steps, producing the same `data`.

What still depends on the request stays checked on every one: who is asking (a plan step that
would refuse them hands over), the rows themselves (a null in a non-null field hands over), a
fault (the database gone). Handing over means returning None: the caller runs the request the
normal way, and nothing the attempt did is visible, as plans only read.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql.execution.values import VariableValues
from graphql.language import OperationDefinitionNode

from schema.context import Context
from schema.planned import nodes
from schema.planned.execution import outcomes_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DirectPlan:
    """A learnt query: its plan's root steps and columns, and the operation's name."""

    steps: list[tuple[str, Any]]  # (response key, root step), in response order
    columns: Mapping[Any, tuple[str, ...]]
    operation_name: str | None  # as strawberry names it (the provided name, else the operation's)


class DirectPlans:
    """One schema's learnt queries, by query text and the operation name the request gave."""

    def __init__(self, schema: Any, maxsize: int = 256) -> None:
        self.schema = schema  # the strawberry schema the plans were made for
        self._plans: LRUCache[tuple[str, str | None], DirectPlan] = LRUCache(maxsize)

    def learn(
        self,
        query: str,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        extensions: Mapping[str, Any] | None,
        context: Context,
        errors: list[Any] | None,
    ) -> None:
        """After a normal run: keep its plan when it answers every later request of this text."""
        if errors or variables or extensions or context.planned is None:
            return
        operation, (steps, columns) = context.planned
        if not isinstance(operation, OperationDefinitionNode) or operation.variable_definitions:
            return
        name = operation_name or (operation.name.value if operation.name else None)
        self._plans[(query, operation_name)] = DirectPlan(steps, columns, name)

    def lookup(self, query: str, operation_name: str | None) -> DirectPlan | None:
        return self._plans.get((query, operation_name))

    async def answer(self, plan: DirectPlan, context: Context) -> dict[str, Any] | None:
        """The operation's `data`, or None: the request must run the normal way."""
        run = nodes.Run(context, VariableValues({}, {}), self.schema, plan.columns)
        try:
            data = {key: await step.answer(run) for key, step in plan.steps}
        except nodes.Fallback:
            return None  # the normal run words the error or the null, exactly as it does
        except Exception as error:
            # The normal run meets it again (and logs it with its traceback) or answers anyway.
            logger.debug("direct answer of %s handed over: %r", plan.operation_name, error)
            return None
        outcomes = outcomes_of(self.schema)
        outcomes["planned"] += 1
        outcomes["direct"] += 1
        return data
