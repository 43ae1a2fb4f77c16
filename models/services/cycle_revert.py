"""Take a sync cycle back: every value it changed in the database is put back as a new change.

Nothing is rewritten or deleted. Each put-back value is an ordinary audited write through the
record's family (history shows it, the outbox carries it), so the next sync cycle writes it to
the sheet too. A field changed again after the cycle (a later change event on the same record
and field) is never overwritten: it is reported as a conflict and only that field is held back.
Records the cycle created are archived, records it archived are restored, unless edited later.
A cycle is reverted once; a second revert is refused. A cycle still RUNNING is refused too (its
transaction may yet commit); an ABANDONED one (lease lost, crashed) is reverted like any other:
its change events committed with its id, or it changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from models.actor import Actor
from models.change_event import ChangeEvent
from models.enums import ChangeAction, RecordType
from models.errors import ErrorCode, UserError, ValidationFailed
from models.services import budget_lines, locking
from models.services.budget_lines import BUDGET_LINES
from models.services.family import Family
from models.services.partners import PARTNERS
from models.services.program_sessions import SESSIONS, with_partner_codes
from models.services.programs import PROGRAMS
from models.services.schools import SCHOOLS
from models.services.write_scope import WriteScope, write_scope
from models.sync_cycle import RUNNING, SyncCycle
from models.sync_state import SyncedRow

FAMILIES: dict[RecordType, Family[Any, Any]] = {
    RecordType.SCHOOL: SCHOOLS,
    RecordType.PROGRAM: PROGRAMS,
    RecordType.BUDGET_LINE: BUDGET_LINES,
    RecordType.PARTNER: PARTNERS,
    RecordType.PROGRAM_SESSION: SESSIONS,
}
# What `values` shows beyond the one reference, loaded onto the row first (a session's partner).
PREPARE = {RecordType.PROGRAM_SESSION: with_partner_codes}
# Row locks in the service layer's order (`locking.LOCK_ORDER`, as sync.applier takes them),
# and writes parents first, so a put-back code names a record that already has it again.
WRITE_ORDER = tuple(reversed(locking.LOCK_ORDER))
ARCHIVED = "archived"  # the pseudo-field of a create or archive being taken back
LATER_EDIT = "동기화 이후 다시 수정된 값이라 되돌리지 않았습니다."


@dataclass(frozen=True)
class Restored:
    """One value put back: `field` goes from `value_now` to `value_back` (`archived`: True/False)."""

    record_type: RecordType
    record_id: int
    field: str
    value_now: Any
    value_back: Any


@dataclass(frozen=True)
class Conflict:
    """A value the revert held back, with why (in Korean)."""

    record_type: RecordType
    record_id: int
    field: str
    value_now: Any
    value_back: Any
    reason: str = LATER_EDIT


@dataclass
class RevertResult:
    cycle_id: int
    dry_run: bool
    restored: list[Restored] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class _Record:
    """What one cycle did to one record, folded over its events in that cycle."""

    record_type: RecordType
    record_id: int
    last_event_id: int = 0
    created: bool = False
    archived: bool = False
    old: dict[str, Any] = field(default_factory=dict)  # field -> value before the cycle
    later: set[str] = field(default_factory=set)  # fields changed by a later event
    edited_later: bool = False


async def revert(cycle_id: int, *, actor: Actor, dry_run: bool = False) -> RevertResult:
    """Revert cycle `cycle_id` (or only say what would happen, with `dry_run`).

    Raises `ValidationFailed` (Korean message) for an unknown cycle or one already reverted.
    """
    result = RevertResult(cycle_id, dry_run)
    async with write_scope(actor) as scope:
        await _claim(scope, cycle_id, actor, dry_run)
        records = await _records(scope, cycle_id)
        await _lock(scope, records)
        for record_type in WRITE_ORDER:
            for record in records:
                if record.record_type is record_type and not record.created:
                    await _put_back(scope, record, result)
        for record_type in locking.LOCK_ORDER:  # children archived before the parents they name
            for record in records:
                if record.record_type is record_type and record.created:
                    await _take_back_create(scope, record, result)
        if not dry_run:
            await _in_flight_bases(scope)
    return result


async def _in_flight_bases(scope: WriteScope) -> None:
    """Rows whose sheet write is not confirmed yet take the value the worker sent as their base.

    The worker keeps a value bound for the sheet out of the merge base until a later read finds
    it there (crash safety), so the base still holds the value from before the cycle. A revert
    puts exactly that value back in the database: the next read would then see the worker's own
    write as a staff edit (sheet differs from base, database equals it) and undo the revert. So
    for every field the revert wrote (cascaded references included), a pending row's base becomes
    the value the database held just before, which is what the worker was writing: landed or
    lost, the next cycle then carries the revert to the sheet; a real staff edit is a conflict.
    """
    written: dict[tuple[RecordType, int], dict[str, Any]] = {}
    for event in scope.events:
        if event.action == ChangeAction.UPDATE:
            before = written.setdefault((RecordType(event.record_type), event.record_id), {})
            for name, (old, _new) in event.changes.items():
                before.setdefault(name, old)
    for (record_type, record_id), before in written.items():
        rows = SyncedRow.filter(record_type=record_type, record_id=record_id, pending=True)
        for row in await rows.using_db(scope.connection):
            snapshot = dict(row.snapshot)
            changed = {n: v for n, v in before.items() if n in snapshot and snapshot[n] != v}
            if changed:
                row.snapshot = {**snapshot, **changed}
                await row.save(using_db=scope.connection, update_fields=["snapshot"])


async def _claim(scope: WriteScope, cycle_id: int, actor: Actor, dry_run: bool) -> None:
    query = SyncCycle.filter(id=cycle_id).using_db(scope.connection).select_for_update()
    cycle = await query.first()
    if cycle is None:
        raise ValidationFailed(
            [UserError("cycleId", f"동기화 기록 #{cycle_id}을(를) 찾을 수 없습니다.", ErrorCode.NOT_FOUND)]
        )
    if cycle.reverted_at is not None:
        when = cycle.reverted_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        message = (
            f"동기화 #{cycle_id}은(는) 이미 되돌렸습니다 ({when}, {cycle.reverted_by}). "
            "다시 되돌릴 수 없습니다."
        )
        raise ValidationFailed([UserError("cycleId", message, ErrorCode.ALREADY_REVERTED)])
    if cycle.outcome == RUNNING:
        # Its transaction may still commit: a revert now would miss those changes, yet mark it done.
        message = f"동기화 #{cycle_id}은(는) 아직 진행 중입니다. 끝난 뒤에 되돌리세요."
        raise ValidationFailed([UserError("cycleId", message, ErrorCode.CYCLE_RUNNING)])
    if not dry_run:
        # Under the row lock: two reverts of one cycle at once, and the second one waits, then refuses.
        cycle.reverted_at = datetime.now(UTC)
        cycle.reverted_by = actor.label
        await cycle.save(using_db=scope.connection, update_fields=["reverted_at", "reverted_by"])


async def _records(scope: WriteScope, cycle_id: int) -> list[_Record]:
    events = await ChangeEvent.filter(cycle_id=cycle_id).using_db(scope.connection).order_by("id")
    records: dict[tuple[RecordType, int], _Record] = {}
    for event in events:
        key = (RecordType(event.record_type), event.record_id)
        record = records.setdefault(key, _Record(*key))
        record.last_event_id = event.pk
        if event.action == ChangeAction.CREATE:
            record.created = True
        elif event.action == ChangeAction.ARCHIVE:
            record.archived = True
        elif event.action == ChangeAction.RESTORE:
            record.archived = False
        elif event.action == ChangeAction.UPDATE:
            for name, (old, _new) in event.changes.items():
                record.old.setdefault(name, old)  # the earliest old value is the one before the cycle
    for record in records.values():
        later = ChangeEvent.filter(
            record_type=record.record_type, record_id=record.record_id, id__gt=record.last_event_id
        ).using_db(scope.connection)
        for changes in await later.values_list("changes", flat=True):
            record.edited_later = True
            record.later |= set(changes)
    return list(records.values())


async def _lock(scope: WriteScope, records: list[_Record]) -> None:
    """Every lock up front, in the service layer's order: the budget total, then the rows."""
    if any(r.record_type is RecordType.BUDGET_LINE for r in records):
        await locking.exclusive(scope, budget_lines.TOTAL_LOCK)
    for record_type in locking.LOCK_ORDER:
        ids = [r.record_id for r in records if r.record_type is record_type]
        await locking.locked_many(scope, FAMILIES[record_type].model, ids)


async def _put_back(scope: WriteScope, record: _Record, result: RevertResult) -> None:
    family = FAMILIES[record.record_type]
    row = await locking.locked(scope, family.model, record.record_id)
    if row is None:
        return
    now = await _values(scope, record.record_type, row)
    changes: dict[str, Any] = {}
    for name, old in record.old.items():
        if name in record.later:
            result.conflicts.append(Conflict(record.record_type, record.record_id, name, now.get(name), old))
        elif now.get(name) != old:
            changes[name] = old
    # A record the cycle archived comes back first, so its values can be written.
    restore = record.archived and row.archived_at is not None
    if restore and "archived_at" in record.later:
        result.conflicts.append(Conflict(record.record_type, record.record_id, ARCHIVED, True, False))
        restore = False
    restored = [Restored(record.record_type, record.record_id, ARCHIVED, True, False)] if restore else []
    restored += [Restored(record.record_type, record.record_id, n, now.get(n), v) for n, v in changes.items()]
    if not restored:
        return
    if not result.dry_run:
        try:
            if restore:
                row = await family.restore(scope, row)
            if changes and row.archived_at is None:
                await family.update(scope, row, _service_values(family, changes))
        except ValidationFailed as error:
            _refused(record, error, changes, now, result)
            return
    result.restored += restored


async def _take_back_create(scope: WriteScope, record: _Record, result: RevertResult) -> None:
    family = FAMILIES[record.record_type]
    row = await locking.locked(scope, family.model, record.record_id)
    if row is None or row.archived_at is not None:
        return  # archived already, by the cycle itself or since: nothing left to take back
    if record.edited_later:
        result.conflicts.append(Conflict(record.record_type, record.record_id, ARCHIVED, False, True))
        return
    if not result.dry_run:
        try:
            await family.archive(scope, row)
        except ValidationFailed as error:
            _refused(record, error, {ARCHIVED: True}, {ARCHIVED: False}, result)
            return
    result.restored.append(Restored(record.record_type, record.record_id, ARCHIVED, False, True))


def _refused(
    record: _Record,
    error: ValidationFailed,
    wanted: dict[str, Any],
    now: dict[str, Any],
    result: RevertResult,
) -> None:
    """A rule refused putting a record back (e.g. its school is archived now): held back, said why."""
    if isinstance(error.__cause__, IntegrityError):
        raise error  # the database refused: a PostgreSQL transaction is aborted, nothing can go on
    reason = " ".join(e.message for e in error.errors)
    for name, value in (wanted or {ARCHIVED: False}).items():
        result.conflicts.append(
            Conflict(record.record_type, record.record_id, name, now.get(name), value, reason)
        )


async def _values(scope: WriteScope, record_type: RecordType, row: Any) -> dict[str, Any]:
    family = FAMILIES[record_type]
    prepare = PREPARE.get(record_type)
    if prepare is not None:
        await prepare([row], scope.connection)
    reference = family.reference
    code = None if reference is None else await reference.code_of(row)
    values: dict[str, Any] = family.values(row, code)
    return values


def _service_values(family: Family[Any, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Values from the outbox (enum names) as the service layer takes them (enum members)."""
    fields_map = family.model._meta.fields_map
    out = {}
    for name, value in values.items():
        enum_type = getattr(fields_map.get(name), "enum_type", None)
        out[name] = enum_type(value) if enum_type is not None and value is not None else value
    return out
