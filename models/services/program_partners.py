"""Which partners take part in which programs, and in what role: link and unlink.

A link is a pair (program, partner) with a role text, not a record of its own: it has no code,
no sheet row and nothing refers to it. Its writes still go through a write scope and the
outbox: each appends an UPDATE event on the partner whose `programs` field holds the partner's
links before and after (``[{"program_code": ..., "role": ...}]``, by program code), so the
partner's history says who linked what and when, and subscribers hear of it.

Lock order: the program first, then the partner (programs come before partners, as budget
lines come before programs in `models.services.locking`). Every link write locks the partner,
so the list of its links read under that lock is the committed one.
"""

from __future__ import annotations

from typing import Any

from models.enums import ChangeAction, RecordType
from models.errors import ErrorCode, UserError, ValidationFailed
from models.partner import Partner, ProgramPartner
from models.program import Program
from models.services import lifecycle, locking, references, validation
from models.services.write_scope import WriteScope

MAX_ROLE = 100


def _unknown_program(code: str) -> UserError:
    return UserError("programCode", f"사업코드 '{code}'인 사업이 없습니다.", ErrorCode.UNKNOWN_PROGRAM)


async def links_of(scope: WriteScope, partner_id: int) -> list[dict[str, Any]]:
    """The partner's links in API terms, by program code."""
    query = ProgramPartner.filter(partner_id=partner_id).using_db(scope.connection).order_by("program__code")
    rows = await query.values("program__code", "role")
    return [{"program_code": row["program__code"], "role": row["role"]} for row in rows]


async def link(scope: WriteScope, partner: Partner, program_code: str, role: str) -> ProgramPartner:
    """Link the partner to the live program `program_code` in `role` (or change its role)."""
    errors = validation.text("role", role, max_length=MAX_ROLE, required=False)
    _, program = await references.lock_move(scope, Program, None, program_code.strip())
    if program is None:
        errors.append(_unknown_program(program_code))
    current = await locking.require_locked(scope, Partner, partner.pk)
    lifecycle.refuse_if_archived(current)
    validation.raise_if_any(errors)
    assert program is not None  # an unknown program was refused above
    before = await links_of(scope, current.pk)
    row = (
        await ProgramPartner.filter(program_id=program.pk, partner_id=current.pk)
        .using_db(scope.connection)
        .first()
    )
    if row is None:
        row = await ProgramPartner.create(
            using_db=scope.connection, program_id=program.pk, partner_id=current.pk, role=role
        )
    elif row.role != role:
        row.role = role
        await row.save(using_db=scope.connection, update_fields=["role", "updated_at"])
    await _record(scope, current.pk, before)
    return row


async def unlink(scope: WriteScope, partner: Partner, program_code: str) -> None:
    """Remove the partner from the program `program_code` (live or archived)."""
    found = await Program.filter(code=program_code).using_db(scope.connection).first()
    program = None if found is None else await locking.locked(scope, Program, found.pk)
    current = await locking.require_locked(scope, Partner, partner.pk)
    query = ProgramPartner.filter(partner_id=current.pk)
    row = (
        None
        if program is None
        else await query.filter(program_id=program.pk).using_db(scope.connection).first()
    )
    if row is None:
        message = f"이 교육자원은 사업코드 '{program_code}'인 사업에 연결되어 있지 않습니다."
        raise ValidationFailed([UserError("programCode", message, ErrorCode.NOT_FOUND)])
    before = await links_of(scope, current.pk)
    await row.delete(using_db=scope.connection)
    await _record(scope, current.pk, before)


async def _record(scope: WriteScope, partner_id: int, before: list[dict[str, Any]]) -> None:
    after = await links_of(scope, partner_id)
    if after != before:
        await scope.record(RecordType.PARTNER, partner_id, ChangeAction.UPDATE, {"programs": [before, after]})
