"""A repeated query answered by its plan alone, before strawberry runs.

A planned query still pays strawberry's and graphql-core's per-request work around its plan:
extension hooks, an execution context, root field collection, the result objects. Yet for a
query text it already answered all of that decides the same thing every time: the same text
parses, validates and passes every protective limit the same way, names the same operation and
groups the same root fields. `DirectPlans` learns such a query from a normal run that a plan
answered without any error, and from then on answers it with the operation's plans directly.

What depends on the request is still done on every one, as the normal run does it: the
variables are coerced by graphql-core against the operation's definitions and checked for
unstorable text and oversized lists (`schema.input_guard`); the plan is the one for this
request's `@include`/`@skip` values; who is asking and the rows are met by the plan's steps.
Anything that does not go through (a coercion error, an unsafe variable, a plan not made yet
for these condition values, a step that refuses the viewer, a null in a non-null field, a
fault) hands over: `answer` returns None and the caller runs the request the normal way;
nothing the attempt did is visible, as plans only read.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql.execution.values import VariableValues, get_variable_values

from schema.context import Context
from schema.input_guard import unsafe_variable
from schema.planned import nodes
from schema.planned.execution import OperationPlans, outcomes_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DirectPlan:
    """A learnt query: the operation's plans and its name."""

    plans: OperationPlans
    operation_name: str | None  # as strawberry names it (the provided name, else the operation's)


class DirectPlans:
    """One schema's learnt queries, by query text and the operation name the request gave."""

    def __init__(self, schema: Any, *, max_list_length: int, maxsize: int = 256) -> None:
        self.schema = schema  # the strawberry schema the plans were made for
        self.max_list_length = max_list_length  # as `RefuseUnsafeInput` checks variables
        self._plans: LRUCache[tuple[str, str | None], DirectPlan] = LRUCache(maxsize)

    def learn(
        self,
        query: str,
        operation_name: str | None,
        extensions: Mapping[str, Any] | None,
        context: Context,
        errors: list[Any] | None,
    ) -> None:
        """After a normal run: keep the operation's plans when one answered it without errors."""
        plans = context.planned
        if errors or extensions or not isinstance(plans, OperationPlans):
            return
        operation = plans.operation
        name = operation_name or (operation.name.value if operation.name else None)
        self._plans[(query, operation_name)] = DirectPlan(plans, name)

    def lookup(self, query: str, operation_name: str | None) -> DirectPlan | None:
        return self._plans.get((query, operation_name))

    async def answer(
        self, learnt: DirectPlan, context: Context, variables: Mapping[str, Any] | None
    ) -> dict[str, Any] | None:
        """The operation's `data`, or None: the request must run the normal way."""
        inputs = dict(variables or {})
        coerced = self._variables(learnt, inputs)
        if coerced is None:
            return None
        plans = learnt.plans
        plan = plans.plans.get(tuple(coerced.coerced.get(name) for name in plans.condition_variables))
        if plan is None:
            return None  # not planned for these @include/@skip values (yet): the normal run plans
        steps, columns = plan
        run = nodes.Run(context, coerced, self.schema, columns)
        try:
            data = {key: await step.answer(run) for key, step in steps}
        except nodes.Fallback:
            return None  # the normal run words the error or the null, exactly as it does
        except Exception as error:
            # The normal run meets it again (and logs it with its traceback) or answers anyway.
            logger.debug("direct answer of %s handed over: %r", learnt.operation_name, error)
            return None
        outcomes = outcomes_of(self.schema)
        outcomes["planned"] += 1
        outcomes["direct"] += 1
        return data

    def _variables(self, learnt: DirectPlan, inputs: dict[str, Any]) -> VariableValues | None:
        """The coerced variables, or None where the normal run reports an error."""
        definitions = learnt.plans.operation.variable_definitions
        if not definitions:
            return VariableValues({}, {})
        coerced = get_variable_values(self.schema._schema, definitions, inputs)
        if isinstance(coerced, list):
            return None  # coercion errors: worded by the normal run
        if unsafe_variable(inputs, "$", self.max_list_length) is not None:
            return None  # refused by `RefuseUnsafeInput` on the normal run
        return coerced
