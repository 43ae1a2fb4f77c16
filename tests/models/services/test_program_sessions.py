"""The program session family (운영 실적): Korean userErrors, outbox events, renames; both engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.enums import ChangeAction, PartnerKind, ProgramCategory
from models.errors import ErrorCode, ValidationFailed
from models.program import Program
from models.program_session import ProgramSession
from models.services import partners, program_sessions, programs
from models.services.write_scope import write_scope

SESSION: dict[str, Any] = {
    "program_code": "P-CT-1",
    "held_on": date(2026, 4, 10),
    "place": "한강미래대학교 본관",
    "elementary": 0,
    "middle": 25,
    "high": 3,
    "special": 1,
    "hours": Decimal("2.5"),
}


async def _world() -> Program:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await partners.create(
            scope, {"code": "EX-UNI-01", "name": "한강미래대학교", "kind": PartnerKind.UNIVERSITY}
        )
        return await programs.create(
            scope,
            {
                "code": "P-CT-1",
                "name": "캠퍼스 투어",
                "category": ProgramCategory.CAMPUS_TOUR,
                "fiscal_year": 2026,
            },
        )


async def _create(fields: dict[str, Any]) -> ProgramSession:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await program_sessions.create(scope, fields)  # type: ignore[arg-type]


async def _refusal(fields: dict[str, Any]) -> list[tuple[str | None, ErrorCode, str]]:
    with pytest.raises(ValidationFailed) as failure:
        await _create(fields)
    return [(e.field, e.code, e.message) for e in failure.value.errors]


async def test_create_records_counts_and_exact_hours_in_the_outbox(db: str) -> None:
    await _world()
    session = await _create({**SESSION, "partner_code": "EX-UNI-01"})
    event = await ChangeEvent.get(record_type="ProgramSession", record_id=session.pk)
    assert event.action is ChangeAction.CREATE
    assert event.changes["program_code"] == [None, "P-CT-1"]
    assert event.changes["partner_code"] == [None, "EX-UNI-01"]
    assert event.changes["held_on"] == [None, "2026-04-10"]
    assert event.changes["hours"] == [None, "2.5"]
    stored = await ProgramSession.get(id=session.pk)
    assert stored.hours == Decimal("2.5") and program_sessions.participants(stored) == 29


async def test_unknown_program_and_partner_are_korean_errors_and_store_nothing(db: str) -> None:
    await _world()
    errors = await _refusal({**SESSION, "program_code": "NOPE", "partner_code": "NONE-1"})
    assert [(f, c) for f, c, _ in errors] == [
        ("programCode", ErrorCode.UNKNOWN_PROGRAM),
        ("partnerCode", ErrorCode.NOT_FOUND),
    ]
    assert "사업코드 'NOPE'인 사업이 없습니다." in errors[0][2]
    assert await ProgramSession.all().count() == 0


async def test_negative_counts_and_bad_hours_are_refused_together(db: str) -> None:
    await _world()
    errors = await _refusal({**SESSION, "middle": -1, "special": -3, "hours": Decimal("1.25")})
    assert [(f, c) for f, c, _ in errors] == [
        ("middle", ErrorCode.OUT_OF_RANGE),
        ("special", ErrorCode.OUT_OF_RANGE),
        ("hours", ErrorCode.INVALID),
    ]
    assert errors[0][2] == "중등 참여 인원은 0명 이상이어야 합니다."
    assert await ChangeEvent.filter(record_type="ProgramSession").count() == 0


async def test_a_session_for_an_archived_program_is_refused_in_korean(db: str) -> None:
    program = await _world()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.archive(scope, program)
    [(field, code, message)] = await _refusal(SESSION)
    assert (field, code) == ("programCode", ErrorCode.ARCHIVED)
    assert "보관(삭제)되어 운영 실적을 기록할 수 없습니다" in message


async def test_update_saves_only_changes_and_moves_the_partner(db: str) -> None:
    await _world()
    session = await _create(SESSION)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_sessions.update(scope, session, {"partner_code": "EX-UNI-01", "middle": 30, "high": 3})
    event = await ChangeEvent.filter(record_type="ProgramSession", action=ChangeAction.UPDATE).get()
    assert event.changes == {"partner_code": [None, "EX-UNI-01"], "middle": [25, 30]}
    stored = await ProgramSession.get(id=session.pk)
    assert (stored.middle, stored.partner_id is not None) == (30, True)


async def test_update_with_a_bad_value_changes_nothing(db: str) -> None:
    await _world()
    session = await _create(SESSION)
    with pytest.raises(ValidationFailed):
        async with write_scope(SYSTEM_ACTOR) as scope:
            await program_sessions.update(scope, session, {"middle": 40, "elementary": -2})
    assert (await ProgramSession.get(id=session.pk)).middle == 25


async def test_renaming_the_program_or_partner_gives_each_session_its_event(db: str) -> None:
    program = await _world()
    session = await _create({**SESSION, "partner_code": "EX-UNI-01"})
    partner = await partners.get_by_code("EX-UNI-01")
    assert partner is not None
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.update(scope, program, {"code": "P-CT-9"})
        await partners.update(scope, partner, {"code": "EX-UNI-09"})
    updates = ChangeEvent.filter(
        record_type="ProgramSession", record_id=session.pk, action=ChangeAction.UPDATE
    )
    assert [e.changes for e in await updates.order_by("id")] == [
        {"program_code": ["P-CT-1", "P-CT-9"]},
        {"partner_code": ["EX-UNI-01", "EX-UNI-09"]},
    ]


async def test_archive_and_restore_are_audited(db: str) -> None:
    await _world()
    session = await _create(SESSION)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_sessions.archive(scope, session)
    with pytest.raises(ValidationFailed):
        async with write_scope(SYSTEM_ACTOR) as scope:
            await program_sessions.update(scope, session, {"middle": 1})
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_sessions.restore(scope, session)
    events = await ChangeEvent.filter(record_type="ProgramSession").order_by("id")
    assert [e.action for e in events] == [ChangeAction.CREATE, ChangeAction.ARCHIVE, ChangeAction.RESTORE]
