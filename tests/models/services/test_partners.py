"""The partner family's rules and the program links, with Korean userErrors; both engines."""

from __future__ import annotations

from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.enums import ChangeAction, PartnerKind, ProgramCategory
from models.errors import ErrorCode, ValidationFailed
from models.partner import Partner, ProgramPartner
from models.services import partners, program_partners, programs
from models.services.partners import PartnerFields
from models.services.write_scope import write_scope

UNIVERSITY: PartnerFields = {"code": "EX-UNI-01", "name": "한강미래대학교", "kind": PartnerKind.UNIVERSITY}


async def _create(fields: Any) -> Partner:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await partners.create(scope, fields)


async def _failure(fields: Any) -> list[tuple[str | None, ErrorCode, str]]:
    with pytest.raises(ValidationFailed) as failure:
        await _create(fields)
    return [(e.field, e.code, e.message) for e in failure.value.errors]


async def _program(code: str = "P-CT-1") -> None:
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.create(
            scope,
            {
                "code": code,
                "name": "캠퍼스 투어",
                "category": ProgramCategory.CAMPUS_TOUR,
                "fiscal_year": 2026,
            },
        )


async def test_create_records_every_field_in_the_outbox(db: str) -> None:
    partner = await _create({**UNIVERSITY, "phone": "031-000-0001", "homepage": "https://example.org"})
    event = await ChangeEvent.get(record_type="Partner", record_id=partner.pk)
    assert event.action is ChangeAction.CREATE
    assert event.changes["kind"] == [None, "UNIVERSITY"]
    assert event.changes["phone"] == [None, "031-000-0001"]


async def test_bad_kind_is_a_korean_user_error(db: str) -> None:
    [(field, code, message)] = await _failure({**UNIVERSITY, "kind": "SCHOOL"})
    assert (field, code) == ("kind", ErrorCode.INVALID)
    assert "대학, 기업, 마을, 기관, 기타" in message


async def test_duplicate_code_is_refused_and_writes_nothing(db: str) -> None:
    await _create(UNIVERSITY)
    [(field, code, message)] = await _failure({**UNIVERSITY, "name": "다른 대학"})
    assert (field, code, message) == (
        "code",
        ErrorCode.DUPLICATE_CODE,
        "기관코드 'EX-UNI-01'는 이미 있습니다.",
    )
    assert await Partner.all().count() == 1


async def test_too_long_text_and_bad_contacts_are_each_reported(db: str) -> None:
    errors = await _failure(
        {**UNIVERSITY, "name": "가" * 101, "email": "메일", "homepage": "example.org", "phone": "전화"}
    )
    assert [(f, c) for f, c, _ in errors] == [
        ("name", ErrorCode.TOO_LONG),
        ("phone", ErrorCode.INVALID),
        ("email", ErrorCode.INVALID),
        ("homepage", ErrorCode.INVALID),
    ]
    assert errors[0][2] == "100자 이하로 입력해야 합니다."


async def test_link_and_unlink_go_through_the_partners_history(db: str) -> None:
    await _program()
    partner = await _create(UNIVERSITY)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_partners.link(scope, partner, "P-CT-1", "캠퍼스 투어 운영")
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_partners.link(scope, partner, "P-CT-1", "전공 체험")  # a new role, same link
    assert [link.role for link in await ProgramPartner.all()] == ["전공 체험"]
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_partners.unlink(scope, partner, "P-CT-1")
    assert await ProgramPartner.all().count() == 0
    events = await ChangeEvent.filter(record_type="Partner", action=ChangeAction.UPDATE).order_by("id")
    assert [e.changes["programs"] for e in events] == [
        [[], [{"program_code": "P-CT-1", "role": "캠퍼스 투어 운영"}]],
        [
            [{"program_code": "P-CT-1", "role": "캠퍼스 투어 운영"}],
            [{"program_code": "P-CT-1", "role": "전공 체험"}],
        ],
        [[{"program_code": "P-CT-1", "role": "전공 체험"}], []],
    ]


async def test_unknown_program_and_too_long_role_are_refused(db: str) -> None:
    partner = await _create(UNIVERSITY)
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await program_partners.link(scope, partner, "NOPE", "가" * 101)
    assert [(e.field, e.code) for e in failure.value.errors] == [
        ("role", ErrorCode.TOO_LONG),
        ("programCode", ErrorCode.UNKNOWN_PROGRAM),
    ]
    assert "사업코드 'NOPE'인 사업이 없습니다." in [e.message for e in failure.value.errors]
    assert await ProgramPartner.all().count() == 0
    with pytest.raises(ValidationFailed) as missing:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await program_partners.unlink(scope, partner, "NOPE")
    assert missing.value.errors[0].code is ErrorCode.NOT_FOUND
