"""The program session family (운영 실적): a live program, counts by school level, exact hours.

A session names two records by code: its program (required, live) and the partner that hosted
it (optional; a blank code means none, and `place` says where). `Family` follows one reference,
so create and update are this family's own, built from the same parts in the same order: named
and row locks, rules against the committed row, only changed columns saved, one change event.
Lock order as in `Family`: the session, then its program, then its partner.

Counts only: no field here can hold a student's name, number or contact (개인정보보호법).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from models.enums import ChangeAction, RecordType
from models.errors import ErrorCode, UserError
from models.partner import Partner
from models.program import Program
from models.program_session import LEVEL_FIELDS, ProgramSession
from models.services import lifecycle, locking, references, validation
from models.services.family import Family, Reference, Values
from models.services.record_values import changed_fields
from models.services.write_scope import WriteScope

MAX_PARTICIPANTS = 100_000  # per level and session: far above any real session, far below int32
MAX_HOURS = Decimal("999.9")  # what the column (5 digits, 1 decimal) holds
LEVEL_LABELS = {"elementary": "초등", "middle": "중등", "high": "고등", "special": "특수"}
REQUIRED_FIELDS = ("program_code", "held_on")


class SessionFields(TypedDict, total=False):
    program_code: str
    held_on: date
    place: str
    partner_code: str | None
    elementary: int
    middle: int
    high: int
    special: int
    hours: Decimal
    note: str


def _unknown_program(code: str) -> UserError:
    return UserError("programCode", f"사업코드 '{code}'인 사업이 없습니다.", ErrorCode.UNKNOWN_PROGRAM)


def _unknown_partner(code: str) -> UserError:
    return UserError("partnerCode", f"기관코드 '{code}'인 교육자원이 없습니다.", ErrorCode.NOT_FOUND)


PROGRAM = Reference("program_code", "program", Program, _unknown_program)
PARTNER = Reference("partner_code", "partner", Partner, _unknown_partner, optional=True)


def session_values(session: ProgramSession, program_code: str, partner_code: str | None) -> Values:
    """The session in API terms: date as ISO text, hours as exact decimal text ("1.5")."""
    return {
        "program_code": program_code,
        "held_on": session.held_on.isoformat() if session.held_on else None,
        "place": session.place,
        "partner_code": partner_code,
        **{level: getattr(session, level) for level in LEVEL_FIELDS},
        "hours": str(Decimal(session.hours).quantize(Decimal("0.1"))),
        "note": session.note,
    }


def participants(session: ProgramSession) -> int:
    return sum(int(getattr(session, level)) for level in LEVEL_FIELDS)


def hours_value(value: object) -> Decimal | None:
    """`value` as exact hours in tenths, or None when it is no such number (1.25, "abc", NaN)."""
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not hours.is_finite() or hours != hours.quantize(Decimal("0.1")):
        return None
    return hours.quantize(Decimal("0.1"))


def as_date(value: object) -> date | None:
    """A date, or its ISO text as plain values and the sheet carry it; None for anything else."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _validate(fields: SessionFields) -> list[UserError]:
    errors: list[UserError] = []
    for level in LEVEL_FIELDS:
        if level in fields:
            value = fields[level]  # type: ignore[literal-required]
            if isinstance(value, bool) or not isinstance(value, int):
                errors.append(UserError(level, "참여 인원은 정수여야 합니다.", ErrorCode.INVALID))
            elif value < 0:
                message = f"{LEVEL_LABELS[level]} 참여 인원은 0명 이상이어야 합니다."
                errors.append(UserError(level, message, ErrorCode.OUT_OF_RANGE))
            else:
                errors += validation.count(level, value, maximum=MAX_PARTICIPANTS)
    if "hours" in fields:
        hours = hours_value(fields["hours"])
        if hours is None:
            errors.append(
                UserError("hours", "시간은 0.1시간 단위의 숫자여야 합니다 (예: 1.5).", ErrorCode.INVALID)
            )
        elif not Decimal(0) <= hours <= MAX_HOURS:
            errors.append(
                UserError("hours", f"시간은 0 이상 {MAX_HOURS} 이하여야 합니다.", ErrorCode.OUT_OF_RANGE)
            )
    held_on = as_date(fields["held_on"]) if "held_on" in fields else None
    if "held_on" in fields and held_on is None:
        errors.append(UserError("heldOn", "일자는 2026-03-15 형식의 날짜여야 합니다.", ErrorCode.INVALID))
    elif held_on is not None and not (
        validation.MIN_FISCAL_YEAR <= held_on.year <= validation.MAX_FISCAL_YEAR
    ):
        errors.append(
            UserError("heldOn", "일자가 허용 범위(2000~2100년)를 벗어났습니다.", ErrorCode.OUT_OF_RANGE)
        )
    if "place" in fields:
        errors += validation.text("place", fields["place"], max_length=200, required=False)
    if "note" in fields:
        errors += validation.text("note", fields["note"], max_length=2000, required=False)
    return errors


async def _archived_program(code: str | None) -> bool:
    return bool(code) and await Program.filter(code=(code or "").strip()).exclude(archived_at=None).exists()


def _archived_program_error(code: str) -> UserError:
    message = (
        f"사업코드 '{code}'인 사업은 보관(삭제)되어 운영 실적을 기록할 수 없습니다. 먼저 사업을 복원하세요."
    )
    return UserError("programCode", message, ErrorCode.ARCHIVED)


async def _program_errors(code: str, errors: list[UserError]) -> list[UserError]:
    """An unknown-program error turned into an archived-program one where that is the reason."""
    if not await _archived_program(code):
        return errors
    return [
        _archived_program_error(code.strip()) if e.code is ErrorCode.UNKNOWN_PROGRAM else e for e in errors
    ]


def _code(record: Any) -> str | None:
    return None if record is None else record.code


class ProgramSessions(Family[ProgramSession, SessionFields]):
    model, record_type = ProgramSession, RecordType.PROGRAM_SESSION
    required = REQUIRED_FIELDS
    reference = PROGRAM

    async def validate(self, fields: SessionFields, current: ProgramSession | None) -> list[UserError]:
        return _validate(fields)

    def values(self, session: ProgramSession, reference_code: str | None) -> Values:
        assert reference_code is not None  # every session has a program
        return session_values(session, reference_code, session.partner_code)

    async def create(self, scope: WriteScope, fields: SessionFields) -> ProgramSession:
        errors = validation.required(fields, self.required) + _validate(fields)
        program_errors: list[UserError] = []
        _, program = await PROGRAM.lock(scope, None, fields.get("program_code"), program_errors)
        errors += await _program_errors(fields.get("program_code", ""), program_errors)
        _, partner = await PARTNER.lock(scope, None, fields.get("partner_code"), errors)
        validation.raise_if_any(errors)
        columns = _columns(fields)
        session = await ProgramSession.create(
            using_db=scope.connection, program=program, partner=partner, **columns
        )
        session.partner_code = _code(partner)
        values = session_values(session, _code(program) or "", session.partner_code)
        await scope.record(self.record_type, session.pk, ChangeAction.CREATE, changed_fields({}, values))
        return session

    async def update_by_id(self, scope: WriteScope, record_id: int, changes: SessionFields) -> ProgramSession:
        """Apply `changes` to the session with this id; returns the fresh row."""
        current = await locking.require_locked(scope, ProgramSession, record_id)
        lifecycle.refuse_if_archived(current)
        errors = _validate(changes)
        program_left = program = partner_left = partner = None
        if "program_code" in changes:
            program_errors: list[UserError] = []
            leaving = current.program_id
            program_left, program = await PROGRAM.lock(
                scope, leaving, changes["program_code"], program_errors
            )
            errors += await _program_errors(changes["program_code"], program_errors)
        if "partner_code" in changes:
            partner_left, partner = await PARTNER.lock(
                scope, current.partner_id, changes["partner_code"], errors
            )
        validation.raise_if_any(errors)
        before_program = _code(program_left) if "program_code" in changes else await PROGRAM.code_of(current)
        before_partner = _code(partner_left) if "partner_code" in changes else await PARTNER.code_of(current)
        before = session_values(current, before_program or "", before_partner)
        current.update_from_dict(_columns(changes))
        if "program_code" in changes:
            current.program_id = program.pk  # type: ignore[union-attr]  # an unknown one was refused
        after_program = _code(program) if "program_code" in changes else before_program
        if "partner_code" in changes:
            current.partner_id = None if partner is None else partner.pk
        after_partner = _code(partner) if "partner_code" in changes else before_partner
        current.partner_code = after_partner
        diff = changed_fields(before, session_values(current, after_program or "", after_partner))
        if diff:
            await current.save(using_db=scope.connection, update_fields=_changed_columns(diff))
            await scope.record(self.record_type, current.pk, ChangeAction.UPDATE, diff)
        return current


def _columns(fields: SessionFields) -> dict[str, Any]:
    """The fields that are columns (references are stored as their foreign keys)."""
    columns: dict[str, Any] = {k: v for k, v in fields.items() if k not in ("program_code", "partner_code")}
    if "hours" in columns:
        columns["hours"] = hours_value(columns["hours"])
    if "held_on" in columns:
        columns["held_on"] = as_date(columns["held_on"])
    return columns


def _changed_columns(diff: dict[str, list[Any]]) -> list[str]:
    names = {"program_code": "program_id", "partner_code": "partner_id"}
    return [names.get(name, name) for name in diff] + ["updated_at"]


async def with_partner_codes(sessions: list[ProgramSession], connection: Any = None) -> list[ProgramSession]:
    """Set each session's `partner_code` from one query (what `values` shows)."""
    wanted = {s.partner_id for s in sessions} - {None}
    query = Partner.filter(id__in=wanted)
    codes = (
        dict(await (query.using_db(connection) if connection else query).values_list("id", "code"))
        if wanted
        else {}
    )
    for session in sessions:
        session.partner_code = codes.get(session.partner_id)
    return sessions


async def program_renamed(scope: WriteScope, program_id: int, old: str, new: str) -> None:
    """Sessions show their program's code: each gets its event when the code changes."""
    await references.cascade(
        scope,
        ProgramSession,
        {"program_id": program_id},
        RecordType.PROGRAM_SESSION,
        "program_code",
        old,
        new,
    )


async def partner_renamed(scope: WriteScope, partner_id: int, old: str, new: str) -> None:
    await references.cascade(
        scope,
        ProgramSession,
        {"partner_id": partner_id},
        RecordType.PROGRAM_SESSION,
        "partner_code",
        old,
        new,
    )


SESSIONS = ProgramSessions()
create, update, archive, restore = SESSIONS.create, SESSIONS.update, SESSIONS.archive, SESSIONS.restore
