"""One way to write a record family: create, update, archive and restore, from a declaration.

A family (schools, programs, budget lines, ...) subclasses `Family` with its model, record type,
required fields, field rules (`validate`) and plain values (`values`), a `Reference` if it names
another record by code, and overrides only the hooks where its rules differ (a named lock taken
first, a rule over many rows, a rename cascade); `Dependents` declare what keeps a record from
being archived. Every family is then written the same way, inside the caller's `write_scope`
transaction: the row re-read under a lock, rules checked against the committed row, only the
changed columns saved, one change event appended::

    class Schools(Family[School, SchoolFields]):
        model, record_type, code_label = School, RecordType.SCHOOL, "학교코드"
        required = ("code", "name", "level", "district")

        async def validate(self, fields: SchoolFields, current: School | None) -> list[UserError]: ...
        def values(self, school: School, reference_code: str | None) -> Values: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from tortoise.exceptions import IntegrityError

from models.base import TimestampedRecord
from models.enums import ChangeAction, RecordType
from models.errors import ErrorCode, UserError, ValidationFailed
from models.services import lifecycle, locking, references, validation
from models.services.record_values import changed_columns, changed_fields
from models.services.write_scope import WriteScope

# What an update that keeps its reference puts for the referenced code on both sides of its diff.
KEPT_REFERENCE = "(unchanged reference)"

R = TypeVar("R", bound=TimestampedRecord)
F = TypeVar("F", bound=Mapping[str, Any])
Values = dict[str, Any]


@dataclass(frozen=True)
class Reference:
    """A field naming another record by its code: a program's school, a budget line's program."""

    field: str  # in API terms, e.g. "school_code"
    relation: str  # the foreign key on the model, e.g. "school" (column "school_id")
    model: type[TimestampedRecord]
    unknown_error: Callable[[str], UserError]  # for a code no live record has
    optional: bool = False  # a blank code means none (a city-wide program)

    @property
    def column(self) -> str:
        return f"{self.relation}_id"

    async def code_of(self, record: TimestampedRecord) -> str | None:
        target_id = getattr(record, self.column)
        if target_id is None:
            return None
        query = self.model.filter(id=target_id).first().values_list("code", flat=True)
        code: str = await query  # type: ignore[assignment]
        return code

    async def lock(
        self, scope: WriteScope, leaving: int | None, code: str | None, errors: list[UserError]
    ) -> tuple[TimestampedRecord | None, TimestampedRecord | None]:
        """The record a reference leaves and the live one `code` names, both locked."""
        code = (code or "").strip()
        if self.optional and not code:
            return (await locking.locked(scope, self.model, leaving) if leaving is not None else None), None
        left, target = await references.lock_move(scope, self.model, leaving, code)
        if target is None:
            errors.append(self.unknown_error(code))
        return left, target


@dataclass(frozen=True)
class Dependents:
    """Live records that keep a record from being archived (a school's programs, a program's lines)."""

    model: type[TimestampedRecord]
    column: str  # their foreign key to the record, e.g. "school_id"
    message: str  # Korean, with the number of them as {count}

    async def refusal(self, scope: WriteScope, record: TimestampedRecord) -> list[UserError]:
        # Counted under the record's lock: every write that points a record at it locks it too,
        # so none slips in before the archive commits.
        query = self.model.filter(archived_at=None, **{self.column: record.pk}).using_db(scope.connection)
        count = await query.count()
        return [UserError(None, self.message.format(count=count), ErrorCode.IN_USE)] if count else []


def _code(record: TimestampedRecord | None) -> str | None:
    return None if record is None else getattr(record, "code", None)


class Family(Generic[R, F]):
    """The writes of one record family; subclasses declare what differs."""

    model: ClassVar[type[Any]]
    record_type: ClassVar[RecordType]
    required: ClassVar[tuple[str, ...]] = ()
    # Set where the model's code is unique: a race the code check missed is a duplicate-code error.
    code_label: ClassVar[str | None] = None
    reference: ClassVar[Reference | None] = None
    dependents: ClassVar[tuple[Dependents, ...]] = ()

    async def validate(self, fields: F, current: R | None) -> list[UserError]:
        """Errors in `fields` (against the committed row `current` on update)."""
        raise NotImplementedError

    def values(self, record: R, reference_code: str | None) -> Values:
        """The record in API terms (`models.services.record_values`)."""
        raise NotImplementedError

    async def lock_first(self, scope: WriteScope, fields: F, *, creating: bool) -> None:
        """Named locks to take before any row lock (lock order), e.g. a total over all rows."""

    async def rules(
        self, scope: WriteScope, fields: F, errors: list[UserError], current: R | None
    ) -> list[UserError]:
        """Rules over other rows, checked once the fields themselves were validated."""
        return []

    def saved(self, scope: WriteScope, before: Values, after: Values) -> None:
        """Called after each write of the row, before its event (e.g. to keep a held total)."""

    async def renamed(self, scope: WriteScope, record_id: int, old: str, new: str) -> None:
        """The record's code changed: records showing it get their events (`references`)."""

    async def archive_guard(self, scope: WriteScope, record: R) -> list[UserError]:
        return [error for kind in self.dependents for error in await kind.refusal(scope, record)]

    async def restore_guard(self, scope: WriteScope, record: R) -> list[UserError]:
        return []

    async def create(self, scope: WriteScope, fields: F) -> R:
        await self.lock_first(scope, fields, creating=True)
        errors = validation.required(fields, self.required) + await self.validate(fields, None)
        reference, target = self.reference, None
        if reference is not None and (reference.field in fields or reference.optional):
            _, target = await reference.lock(scope, None, fields.get(reference.field), errors)
        errors += await self.rules(scope, fields, errors, None)
        validation.raise_if_any(errors)
        columns = self._columns(fields)
        if reference is not None:
            columns[reference.relation] = target
        with self._unique_code(fields.get("code")):
            record: R = await self.model.create(using_db=scope.connection, **columns)
        values = self.values(record, _code(target))
        self.saved(scope, {}, values)
        await scope.record(self.record_type, record.pk, ChangeAction.CREATE, changed_fields({}, values))
        return record

    async def update(self, scope: WriteScope, record: R, changes: F) -> R:
        """Apply `changes` to the record `record` names (only its id is read); returns the fresh row.

        Families that write differently override `update_by_id`, which every update goes through.
        """
        return await self.update_by_id(scope, record.pk, changes)

    async def update_by_id(self, scope: WriteScope, record_id: int, changes: F) -> R:
        """Apply `changes` to the record with this id; returns the fresh row.

        The row is re-read under a lock, so the rules and the event's old values are the committed
        ones this write replaces, and only the changed columns are written back.
        """
        await self.lock_first(scope, changes, creating=False)
        current: R = await locking.require_locked(scope, self.model, record_id)
        lifecycle.refuse_if_archived(current)
        errors = await self.validate(changes, current)
        reference = self.reference
        moving = reference is not None and reference.field in changes
        left = target = None
        if reference is not None and moving:
            leaving = getattr(current, reference.column)
            left, target = await reference.lock(scope, leaving, changes[reference.field], errors)
        errors += await self.rules(scope, changes, errors, current)
        validation.raise_if_any(errors)
        if reference is not None and moving:
            before_code, after_code = _code(left), _code(target)
            setattr(current, reference.column, None if target is None else target.pk)
        else:
            # The reference stays, so its code is the same on both sides of the diff and never in
            # the event: a stand-in spares reading it (a statement on another connection).
            before_code = after_code = None if reference is None else KEPT_REFERENCE
        before = self.values(current, before_code)
        current.update_from_dict(self._columns(changes))
        after = self.values(current, after_code)
        diff = changed_fields(before, after)
        if diff:
            with self._unique_code(getattr(current, "code", None)):
                await current.save(using_db=scope.connection, update_fields=changed_columns(diff))
            self.saved(scope, before, after)
            await scope.record(self.record_type, current.pk, ChangeAction.UPDATE, diff)
            if "code" in diff:
                await self.renamed(scope, current.pk, *diff["code"])
        return current

    async def archive(self, scope: WriteScope, record: R) -> R:
        return await lifecycle.archive(scope, record, self.record_type, guard=self.archive_guard)

    async def restore(self, scope: WriteScope, record: R) -> R:
        return await lifecycle.restore(scope, record, self.record_type, guard=self.restore_guard)

    def _columns(self, fields: F) -> dict[str, Any]:
        """The fields that are columns of the model (a reference is stored as its foreign key)."""
        skipped = None if self.reference is None else self.reference.field
        return {name: value for name, value in fields.items() if name != skipped}

    @contextmanager
    def _unique_code(self, code: Any) -> Iterator[None]:
        try:
            yield
        except IntegrityError as error:
            if self.code_label is None:
                raise
            # The database's unique index caught a race the code check in `validate` missed.
            raise ValidationFailed([validation.duplicate_code(self.code_label, code)]) from error
