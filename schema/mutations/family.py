# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""The mutations of a record family, built from one declaration.

A `MutationFamily` names the record type, the service family that writes it and the input
fields (`InputField`: one line each, with the texts of the create and the update input). From
it `mutations()` builds `<family>Create`, `<family>Update`, `<family>Archive` and
`<family>Restore`, their inputs and the `<Family>Payload`, with the names and descriptions
clients know. The resolvers are made here at runtime, so every family writes the same way:
one transaction as the viewer (`common.perform`), business errors as `userErrors`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from strawberry import Info, relay
from strawberry.permission import BasePermission
from tortoise.models import Model

from models.errors import RecordNotFound
from models.services.family import Family
from models.services.write_scope import WriteScope
from schema.mutations.common import (
    Outcome,
    Refused,
    UserError,
    locate,
    node_pk,
    not_found,
    perform,
    present_fields,
    row_values,
)
from schema.permissions import CanWrite

WRITE: list[type[BasePermission]] = [CanWrite]
# Built at runtime from declared types, which a static checker cannot follow.
MAYBE: Any = strawberry.Maybe
REQUIRED: Any = object()  # an input field without a default: the create input requires it


@dataclass(frozen=True)
class InputField:
    """One field of a family's create and update inputs (the update's is optional, `Maybe`)."""

    name: str  # the service field, snake_case (GraphQL camelCase)
    type: Any
    create: str  # its description in the create input
    update: str  # its description in the update input
    default: Any = REQUIRED
    nullable: bool = False  # the update may set null (e.g. a program's school: city-wide)


@dataclass(frozen=True)
class MutationFamily:
    """The mutations of one record family: what they write, with which fields and texts."""

    service: Family[Any, Any]
    record: type[Any]  # the Strawberry record type, built with `record.from_row`
    columns: tuple[str, ...]  # the row values it is built from
    fields: tuple[InputField, ...]
    archive: str  # the archive mutation's description: what refuses it
    by_code: bool = False  # archive and restore also find the record by its code
    short: str = ""  # what texts call one record where the label is too long ("line")

    @property
    def type_name(self) -> str:
        return str(self.service.record_type)  # also the global id's type name

    @property
    def row(self) -> type[Model]:
        model: type[Model] = self.service.model
        return model

    @property
    def label(self) -> str:
        """E.g. "budget line", as texts name it."""
        return "".join(f" {c.lower()}" if c.isupper() else c for c in self.type_name).strip()

    @property
    def snake(self) -> str:
        return self.label.replace(" ", "_")


def mutations(family: MutationFamily) -> dict[str, Any]:
    """{python name: strawberry mutation}, in the order the Mutation type lists them."""
    payload = _payload_type(family)
    create_input, update_input = _create_input(family), _update_input(family)
    archive_input = _addressed_input(family, "Archive", f"The {family.label} to archive")
    restore_input = _addressed_input(family, "Restore", f"The archived {family.label} to restore")
    label, short = family.label, family.short or family.label
    run = _Runner(family, payload)
    return {
        f"{family.snake}_create": _mutation(
            run.create, create_input, f"The new {label}.", payload, f"Create a {label}."
        ),
        f"{family.snake}_update": _mutation(
            run.update, update_input, f"The {label} and its changes.", payload, f"Change a {label}'s fields."
        ),
        f"{family.snake}_archive": _mutation(
            run.archive, archive_input, f"The {short} to archive.", payload, family.archive
        ),
        f"{family.snake}_restore": _mutation(
            run.restore,
            restore_input,
            f"The {short} to restore.",
            payload,
            f"Bring an archived {label} back.",
        ),
    }


def _mutation(
    resolve: Callable[[Info, Any], Awaitable[Any]],
    input_type: type[Any],
    argument: str,
    payload: type[Any],
    description: str,
) -> Any:
    async def mutate(info: Info, input: Any) -> Any:
        return await resolve(info, input)

    # Strawberry reads the argument and return types from the resolver's annotations.
    mutate.__annotations__ = {
        "info": Info,
        "input": Annotated[input_type, strawberry.argument(description=argument)],
        "return": payload,
    }
    return strawberry.mutation(resolver=mutate, description=description, permission_classes=WRITE)


class _Runner:
    """The four writes of a family, each in one transaction as the viewer."""

    def __init__(self, family: MutationFamily, payload: type[Any]) -> None:
        self.family, self.payload = family, payload
        self.names = tuple(field.name for field in family.fields)
        self.nullable = [field.name for field in family.fields if field.nullable]

    async def create(self, info: Info, values: Any) -> Any:
        async def work(scope: WriteScope) -> Model:
            fields = {name: getattr(values, name) for name in self.names}
            created: Model = await self.family.service.create(scope, fields)
            return created

        return self._answer(await perform(info, work))

    async def update(self, info: Info, values: Any) -> Any:
        async def work(scope: WriteScope) -> Model:
            # The service re-reads the row by its id under its lock: no unlocked read first (one
            # statement less per update). A row that is gone is the same error.
            type_name = self.family.type_name
            pk = node_pk(values.id, type_name)
            changes = present_fields(values, self.names, nullable=self.nullable)
            try:
                updated: Model = await self.family.service.update_by_id(scope, pk, changes)
            except RecordNotFound as missing:
                if missing.record_type != self.family.row.__name__ or missing.key != pk:
                    raise
                raise Refused([not_found("id", f"{type_name} id")]) from missing
            return updated

        return self._answer(await perform(info, work))

    async def archive(self, info: Info, values: Any) -> Any:
        return self._answer(await perform(info, lambda scope: self._lifecycle(scope, values, restore=False)))

    async def restore(self, info: Info, values: Any) -> Any:
        return self._answer(await perform(info, lambda scope: self._lifecycle(scope, values, restore=True)))

    async def _lifecycle(self, scope: WriteScope, values: Any, *, restore: bool) -> Model:
        family = self.family
        if family.by_code:
            row = await locate(
                family.row, scope, global_id=values.id, code=values.code, type_name=family.type_name
            )
        else:
            row = await self._by_id(scope, values.id)
        written: Model = await (family.service.restore if restore else family.service.archive)(scope, row)
        return written

    async def _by_id(self, scope: WriteScope, global_id: relay.GlobalID) -> Model:
        type_name = self.family.type_name
        row = (
            await self.family.row.filter(id=node_pk(global_id, type_name)).using_db(scope.connection).first()
        )
        if row is None:
            raise Refused([not_found("id", f"{type_name} id")])  # as for an id no row can have
        return row

    def _answer(self, outcome: Outcome[Model]) -> Any:
        family, record = self.family, outcome.record
        built = None if record is None else family.record.from_row(row_values(record, family.columns))
        return self.payload(**{family.snake: built, "user_errors": outcome.errors})


def _strawberry_class(
    kind: Any, name: str, description: str, fields: dict[str, tuple[Any, Any]]
) -> type[Any]:
    """A Strawberry type or input `name` with these {field: (annotation, strawberry.field)}."""
    namespace: dict[str, Any] = {"__annotations__": {n: t for n, (t, _) in fields.items()}}
    namespace.update({n: f for n, (_, f) in fields.items()})
    created: type[Any] = kind(type(name, (), namespace), description=description)
    return created


def _payload_type(family: MutationFamily) -> type[Any]:
    short = family.short or family.label
    fields = {
        family.snake: (
            family.record | None,
            strawberry.field(description=f"The {short} after the change; null if refused."),
        ),
        "user_errors": (
            list[UserError],
            strawberry.field(description="Why the change was refused; empty on success."),
        ),
    }
    description = f"The result of a {family.label} mutation."
    return _strawberry_class(strawberry.type, f"{family.type_name}Payload", description, fields)


def _create_input(family: MutationFamily) -> type[Any]:
    fields: dict[str, tuple[Any, Any]] = {}
    for field in family.fields:
        default = {} if field.default is REQUIRED else {"default": field.default}
        fields[field.name] = (field.type, strawberry.field(description=field.create, **default))
    name = f"{family.type_name}CreateInput"
    return _strawberry_class(strawberry.input, name, f"A new {family.label}.", fields)


def _update_input(family: MutationFamily) -> type[Any]:
    fields: dict[str, tuple[Any, Any]] = {
        "id": (relay.GlobalID, strawberry.field(description=f"Global id of the {family.label}."))
    }
    for field in family.fields:
        fields[field.name] = (MAYBE[field.type], strawberry.field(description=field.update))
    description = f"Changes to a {family.label}; absent fields stay as they are."
    return _strawberry_class(strawberry.input, f"{family.type_name}UpdateInput", description, fields)


def _addressed_input(family: MutationFamily, verb: str, description: str) -> type[Any]:
    """The input naming the record to archive or restore: its global id, or its code."""
    id_text = f"Global id of the {family.label}."
    fields: dict[str, tuple[Any, Any]]
    if not family.by_code:
        fields = {"id": (relay.GlobalID, strawberry.field(description=id_text))}
        return _strawberry_class(
            strawberry.input, f"{family.type_name}{verb}Input", f"{description}.", fields
        )
    code_text = f"{family.label.capitalize()} code, instead of the id."
    fields = {
        "id": (relay.GlobalID | None, strawberry.field(default=None, description=id_text)),
        "code": (str | None, strawberry.field(default=None, description=code_text)),
    }
    description = f"{description}: give its global id or its code."
    return _strawberry_class(strawberry.input, f"{family.type_name}{verb}Input", description, fields)
