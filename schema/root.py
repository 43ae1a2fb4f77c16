"""The root schema: `build_schema(settings)` with the protective limits switched on.

Limits (from settings): query depth, aliases and tokens; introspection and "Did you mean ...?"
hints can be turned off (and are, by default, in production).
Text no database can store and lists longer than `max_list_length` are refused up front
(`schema.input_guard`).
Parsing and validation are cached. Unexpected errors are masked ("Unexpected error.") while
permission, input and validation errors stay readable (`schema.errors.should_mask_error`).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    SchemaExtension,
    max_aliases,
    query_depth_limiter,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from schema.activity_summary import activity_group_rows
from schema.agreement_records import Agreement, Allocation, SupplementaryAgreement
from schema.budget_summary import budget_group_rows
from schema.document_cache import TextCache, document_cache
from schema.enum_errors import explain_in_korean
from schema.enum_output import fast_enum_output
from schema.errors import MaskUnexpectedErrors, should_mask_error
from schema.extension_runner import LeanExtensionsRunner, lean_runner_fits
from schema.input_guard import RefuseUnsafeInput
from schema.leaf_fields import LeafFieldsExecutionContext
from schema.mutations.root import Mutation
from schema.operation_choice import RequireOperationName
from schema.planned.execution import planned_execution
from schema.planned.nodes import GroupRows
from schema.queries import BUDGET_LINES, PARTNERS, PROGRAMS, SCHOOLS, Query
from schema.records import BudgetLine, Program, School
from schema.scalars import SCALAR_MAP
from schema.settings import SchemaSettings
from schema.suggestions import HideSuggestions
from schema.sync_views import SyncConflict, SyncIssue

ExtensionSpec = type[SchemaExtension] | Callable[[], SchemaExtension]

logger = logging.getLogger(__name__)


class EduhubSchema(strawberry.Schema):
    """The strawberry schema, logging callers' mistakes apart from our bugs.

    Strawberry logs every error at ERROR with a traceback; a malformed query, a wrong page size
    or a forbidden field is the caller's to fix and would drown the errors that need a person.
    Those become one INFO line; errors that get masked (bugs, outages) stay at ERROR. A value no
    enum has also gets its Korean explanation (`schema.enum_errors`).
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            explain_in_korean(error)
            if should_mask_error(error):
                StrawberryLogger.error(error, execution_context)
            else:
                logger.info("client error: %s (path %s)", error.message, error.path)

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        # The hooks found once per extension class, not on every request (schema.extension_runner).
        if lean_runner_fits(extensions):
            return LeanExtensionsRunner(execution_context, extensions)
        return super().create_extensions_runner(execution_context, extensions)


def _subscription_type() -> type[Any] | None:
    # schema/subscriptions.py is owned by the live-updates work; the schema builds without it.
    if importlib.util.find_spec("schema.subscriptions") is None:
        return None
    from schema.subscriptions import Subscription

    return Subscription


def limit_rules(settings: SchemaSettings) -> list[type[ASTValidationRule]]:
    """The depth and alias limits as validation rules, built once per schema.

    strawberry's QueryDepthLimiter and MaxAliasesLimiter make new rule classes for every
    extension instance, i.e. every request, and validation results are cached per rule set:
    with them, no validation was ever cached.
    """
    return [
        query_depth_limiter.create_validator(settings.max_query_depth, None, None),
        max_aliases.create_validator(settings.max_aliases),
    ]


def limit_extensions(settings: SchemaSettings) -> list[ExtensionSpec]:
    """The protective extensions, in the order they should run."""
    # Factories, not instances: each request gets fresh extension objects (the caches are shared).
    extensions: list[ExtensionSpec] = [
        partial(MaxTokensLimiter, max_token_count=settings.max_query_tokens),
        document_cache(maxsize=256),  # parses on entering on_parse, after the token limit is set
        RequireOperationName,
        partial(AddValidationRules, limit_rules(settings)),
        # After the cache, which validates on entering: the guard sees its result.
        partial(
            RefuseUnsafeInput,
            max_list_length=settings.max_list_length,
            literals=TextCache[str | None](256),
        ),
        MaskUnexpectedErrors,
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    if not settings.field_suggestions:
        extensions.append(HideSuggestions)
    return extensions


# Root fields answered by planned execution: (listing, "connection" or "code").
PLANNED_ROOTS = {
    "schools": (SCHOOLS, "connection"),
    "programs": (PROGRAMS, "connection"),
    "budgetLines": (BUDGET_LINES, "connection"),
    "partners": (PARTNERS, "connection"),
    "school": (SCHOOLS, "code"),
    "program": (PROGRAMS, "code"),
    "partner": (PARTNERS, "code"),
}
# Summaries answered by planned execution: their groups, computed as dicts (one GROUP BY each).
PLANNED_SUMMARIES: dict[str, GroupRows] = {
    "budgetSummary": budget_group_rows,
    "activitySummary": activity_group_rows,
}


def build_schema(
    settings: SchemaSettings, *, extra_extensions: Sequence[ExtensionSpec] = (), planned: bool = True
) -> strawberry.Schema:
    """The whole GraphQL schema (queries, mutations and, when present, subscriptions).

    `planned=False` leaves every operation to graphql-core (the planned path's equivalence tests).
    """
    schema = EduhubSchema(
        query=Query,
        mutation=Mutation,
        subscription=_subscription_type(),
        types=[
            School,
            Program,
            BudgetLine,
            Agreement,
            SupplementaryAgreement,
            Allocation,
            SyncIssue,
            SyncConflict,
        ],
        extensions=[*extra_extensions, *limit_extensions(settings)],  # metrics first: it times the rest
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        # Plain reads of the record types skip per-field resolution (schema.planned).
        execution_context_class=planned_execution(PLANNED_ROOTS, PLANNED_SUMMARIES)
        if planned
        else LeafFieldsExecutionContext,
    )
    fast_enum_output(schema._schema)
    return schema
