"""The agreement family: term rules, Korean userErrors, archive guarded by its supplements; both engines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR
from models.agreement import Agreement
from models.change_event import ChangeEvent
from models.enums import ChangeAction
from models.errors import ErrorCode, ValidationFailed
from models.services import agreements, allocations, supplementary_agreements
from models.services.write_scope import write_scope
from tests.models.services.agreement_world import (
    AGREEMENT,
    agreement,
    allocation_fields,
    set_allocation,
    supplement,
    world,
)


async def _failure(**changes: Any) -> list[tuple[str | None, ErrorCode, str]]:
    with pytest.raises(ValidationFailed) as failure:
        await agreement(**changes)
    return [(e.field, e.code, e.message) for e in failure.value.errors]


async def _update(record: Agreement, **changes: Any) -> Agreement:
    async with write_scope(SYSTEM_ACTOR) as scope:
        return await agreements.update(scope, record, changes)  # type: ignore[arg-type]


async def test_create_records_every_field_with_dates_as_iso_text(db: str) -> None:
    created = await agreement()
    event = await ChangeEvent.get(record_type="Agreement", record_id=created.pk)
    assert event.action is ChangeAction.CREATE
    assert event.changes["term_start"] == [None, "2025-01-01"]
    assert event.changes["term_end"] == [None, "2026-12-31"]
    assert event.changes["parties"] == [None, "하남시, 경기도광주하남교육지원청"]
    fresh = await Agreement.get(code="HANAM-GHOE-2025")
    assert (fresh.term_start, fresh.term_end, fresh.signed_on) == (
        date(2025, 1, 1),
        date(2026, 12, 31),
        date(2024, 12, 20),
    )


async def test_term_ending_before_it_starts_is_refused_and_writes_nothing(db: str) -> None:
    [(field, code, message)] = await _failure(term_start=date(2026, 1, 1), term_end=date(2025, 12, 31))
    assert (field, code) == ("termEnd", ErrorCode.OUT_OF_RANGE)
    assert message == "협약 종료일(2025-12-31)이 시작일(2026-01-01)보다 빠를 수 없습니다."
    assert await Agreement.all().count() == 0
    assert await ChangeEvent.all().count() == 0


async def test_required_fields_bad_dates_and_duplicate_codes_are_each_reported(db: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await agreements.create(scope, {"code": "X 1", "title": " ", "term_start": "어제"})  # type: ignore[typeddict-item]
    assert [(e.field, e.code) for e in failure.value.errors] == [
        ("term_end", ErrorCode.REQUIRED),
        ("code", ErrorCode.INVALID),
        ("title", ErrorCode.REQUIRED),
        ("termStart", ErrorCode.INVALID),
    ]
    await agreement()
    [(field, code, message)] = await _failure(title="다른 협약")
    assert (field, code, message) == (
        "code",
        ErrorCode.DUPLICATE_CODE,
        "협약코드 'HANAM-GHOE-2025'는 이미 있습니다.",
    )


async def test_a_term_cannot_shrink_past_a_live_allocation(db: str) -> None:
    await world()
    await set_allocation({**allocation_fields(), "fiscal_year": 2026, "program_code": "HN2025-CT-001"})
    current = await Agreement.get(code=AGREEMENT["code"])
    with pytest.raises(ValidationFailed) as failure:
        await _update(current, term_end=date(2025, 12, 31))
    [error] = failure.value.errors
    assert error.code is ErrorCode.OUTSIDE_TERM
    assert "2026년" in error.message
    assert (await Agreement.get(pk=current.pk)).term_end == date(2026, 12, 31)
    changed = await _update(current, term_start=date(2025, 3, 1))  # still covers 2025 and 2026
    assert changed.term_start == date(2025, 3, 1)


async def test_archive_is_refused_while_supplements_are_live(db: str) -> None:
    await world()
    current = await Agreement.get(code=AGREEMENT["code"])
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await agreements.archive(scope, current)
    assert [(e.code, e.message) for e in failure.value.errors] == [
        (ErrorCode.IN_USE, "이 협약의 실무 협약 1건을 먼저 보관해야 합니다.")
    ]
    added = await set_allocation(allocation_fields())
    first = await supplementary_agreements.get_by_code("HANAM-GHOE-2025-S1")
    assert first is not None
    with pytest.raises(ValidationFailed) as refused:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await supplementary_agreements.archive(scope, first)
    assert refused.value.errors[0].message == "이 실무 협약의 배정 1건을 먼저 보관해야 합니다."
    async with write_scope(SYSTEM_ACTOR) as scope:
        await allocations.archive(scope, added)
        await supplementary_agreements.archive(scope, first)
        archived = await agreements.archive(scope, current)
    assert archived.archived_at is not None


async def test_renaming_an_agreement_tells_its_supplements(db: str) -> None:
    await agreement()
    made = await supplement()
    current = await Agreement.get(code=AGREEMENT["code"])
    await _update(current, code="HANAM-GHOE-2025B")
    event = (
        await ChangeEvent.filter(record_type="SupplementaryAgreement", record_id=made.pk)
        .order_by("-id")
        .first()
    )
    assert event is not None and event.changes == {"agreement_code": ["HANAM-GHOE-2025", "HANAM-GHOE-2025B"]}


async def test_nothing_comes_back_under_an_archived_parent(db: str) -> None:
    await world()
    made = await set_allocation(allocation_fields())
    first = await supplementary_agreements.get_by_code("HANAM-GHOE-2025-S1")
    current = await Agreement.get(code=AGREEMENT["code"])
    assert first is not None
    async with write_scope(SYSTEM_ACTOR) as scope:
        await allocations.archive(scope, made)
        await supplementary_agreements.archive(scope, first)
        await agreements.archive(scope, current)
    with pytest.raises(ValidationFailed) as supplement_refused:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await supplementary_agreements.restore(scope, first)
    assert [(e.code, e.message) for e in supplement_refused.value.errors] == [
        (ErrorCode.ARCHIVED, "협약 'HANAM-GHOE-2025'이(가) 보관(삭제)되어 있습니다. 먼저 협약을 복원하세요.")
    ]
    with pytest.raises(ValidationFailed) as allocation_refused:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await allocations.restore(scope, made)
    assert allocation_refused.value.errors[0].code is ErrorCode.UNKNOWN_AGREEMENT
    async with write_scope(SYSTEM_ACTOR) as scope:
        await agreements.restore(scope, current)
        await supplementary_agreements.restore(scope, first)
        back = await allocations.restore(scope, made)
    assert back.archived_at is None
