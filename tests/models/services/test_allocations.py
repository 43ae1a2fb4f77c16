"""Allocations: one write sets the total and every share; bad input of every kind is refused in
Korean and writes nothing; both engines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models.actor import SYSTEM_ACTOR
from models.allocation import Allocation, AllocationShare
from models.change_event import ChangeEvent
from models.enums import ChangeAction, Funder, RecordType
from models.errors import ErrorCode, ValidationFailed
from models.program import Program
from models.services import allocations, programs, supplementary_agreements
from models.services.write_scope import write_scope
from tests.models.services.agreement_world import (
    agreement,
    allocation_fields,
    set_allocation,
    supplement,
    world,
)


async def _refused(fields: dict[str, Any]) -> list[tuple[str | None, ErrorCode, str]]:
    with pytest.raises(ValidationFailed) as failure:
        await set_allocation(fields)
    return [(e.field, e.code, e.message) for e in failure.value.errors]


async def _nothing_written() -> None:
    assert await Allocation.all().count() == 0
    assert await AllocationShare.all().count() == 0
    assert await ChangeEvent.filter(record_type=RecordType.ALLOCATION).count() == 0


async def test_set_creates_the_allocation_and_its_shares_in_one_event(db: str) -> None:
    await world()
    made = await set_allocation(allocation_fields())
    shares = (
        await AllocationShare.filter(allocation_id=made.pk).order_by("funder").values_list("funder", "amount")
    )
    assert sorted(shares) == [(Funder.CITY, 30_000_000), (Funder.OFFICE_OF_EDUCATION, 20_000_000)]
    [event] = await ChangeEvent.filter(record_type=RecordType.ALLOCATION)
    assert event.action is ChangeAction.CREATE
    assert event.changes == {
        "supplementary_code": [None, "HANAM-GHOE-2025-S1"],
        "program_code": [None, "HN2025-CT-001"],
        "fiscal_year": [None, 2025],
        "total": [None, 50_000_000],
        "shares": [None, {"CITY": 30_000_000, "OFFICE_OF_EDUCATION": 20_000_000}],
    }


async def test_set_again_replaces_total_and_shares_of_the_same_allocation(db: str) -> None:
    await world()
    first = await set_allocation(allocation_fields())
    again = await set_allocation(
        allocation_fields(60_000_000, CITY=30_000_000, OFFICE_OF_EDUCATION=20_000_000, PROVINCE=10_000_000)
    )
    assert again.pk == first.pk and await Allocation.all().count() == 1
    assert await AllocationShare.filter(allocation_id=first.pk).count() == 3
    update = await ChangeEvent.filter(record_type=RecordType.ALLOCATION, action=ChangeAction.UPDATE).first()
    assert update is not None
    assert update.changes["total"] == [50_000_000, 60_000_000]
    assert update.changes["shares"][1] == {
        "CITY": 30_000_000,
        "OFFICE_OF_EDUCATION": 20_000_000,
        "PROVINCE": 10_000_000,
    }
    await set_allocation(
        allocation_fields(60_000_000, PROVINCE=10_000_000, CITY=30_000_000, OFFICE_OF_EDUCATION=20_000_000)
    )
    assert (
        await ChangeEvent.filter(record_type=RecordType.ALLOCATION).count() == 2
    )  # the same again: no event


async def test_shares_not_adding_up_name_both_sums_in_won(db: str) -> None:
    await world()
    [(field, code, message)] = await _refused(
        allocation_fields(50_000_000, CITY=30_000_000, OFFICE_OF_EDUCATION=10_000_000)
    )
    assert (field, code) == ("shares", ErrorCode.SHARE_SUM_MISMATCH)
    assert message == "재원별 분담액 합계(40,000,000원)가 사업 총액(50,000,000원)과 다릅니다."
    await _nothing_written()


async def test_a_year_outside_the_agreements_term_is_refused(db: str) -> None:
    await world()
    [(field, code, message)] = await _refused({**allocation_fields(), "fiscal_year": 2027})
    assert (field, code) == ("fiscalYear", ErrorCode.OUTSIDE_TERM)
    assert (
        message == "2027년은 협약 'HANAM-GHOE-2025'의 기간(2025-01-01~2026-12-31) 밖이라 배정할 수 없습니다."
    )
    await _nothing_written()


async def test_negative_amounts_and_duplicate_funders_are_refused(db: str) -> None:
    await world()
    fields = allocation_fields()
    fields["total"] = -1
    fields["shares"] = [
        {"funder": Funder.CITY, "amount": -5},
        {"funder": Funder.CITY, "amount": 4},
        {"funder": "SCHOOL", "amount": 1},
    ]
    errors = await _refused(fields)
    assert [(f, c) for f, c, _ in errors] == [
        ("total", ErrorCode.NEGATIVE_AMOUNT),
        ("shares", ErrorCode.NEGATIVE_AMOUNT),
        ("shares", ErrorCode.DUPLICATE),
        ("shares", ErrorCode.INVALID),
    ]
    assert errors[1][2] == "재원 'CITY': 금액은 0원 이상이어야 합니다."
    await _nothing_written()


async def test_unknown_program_and_supplement_are_refused(db: str) -> None:
    await world()
    errors = await _refused({**allocation_fields(), "program_code": "NOPE", "supplementary_code": "NONE"})
    assert errors == [
        ("supplementaryCode", ErrorCode.UNKNOWN_AGREEMENT, "실무협약코드 'NONE'인 실무 협약이 없습니다."),
        ("programCode", ErrorCode.UNKNOWN_PROGRAM, "사업코드 'NOPE'인 사업이 없습니다."),
    ]
    missing = await _refused({"program_code": "HN2025-CT-001"})
    assert {f for f, c, _ in missing if c is ErrorCode.REQUIRED} == {
        "supplementaryCode",
        "fiscalYear",
        "total",
        "shares",
    }
    await _nothing_written()


async def test_one_live_allocation_per_key_and_restore_refuses_a_twin(db: str) -> None:
    await world()
    first = await set_allocation(allocation_fields())
    async with write_scope(SYSTEM_ACTOR) as scope:
        await allocations.archive(scope, first)
    second = await set_allocation(allocation_fields())  # the key is free again: a new allocation
    assert second.pk != first.pk
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await allocations.restore(scope, first)
    assert [e.code for e in failure.value.errors] == [ErrorCode.DUPLICATE]
    assert (await Allocation.get(pk=first.pk)).archived_at is not None
    async with write_scope(SYSTEM_ACTOR) as scope:
        await allocations.archive(scope, second)
        restored = await allocations.restore(scope, first)
    assert restored.archived_at is None


async def test_a_program_with_live_allocations_is_not_archived_and_renames_reach_them(db: str) -> None:
    await world()
    made = await set_allocation(allocation_fields())
    current = await Program.get(code="HN2025-CT-001")
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await programs.archive(scope, current)
    assert failure.value.errors[0].message == "이 사업의 실무 협약 배정 1건을 먼저 보관해야 합니다."
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.update(scope, current, {"code": "HN2025-CT-101"})
        found = await supplementary_agreements.get_by_code("HANAM-GHOE-2025-S1")
        assert found is not None
        await supplementary_agreements.update(scope, found, {"code": "HANAM-GHOE-2025-S01"})
    events = await ChangeEvent.filter(
        record_type=RecordType.ALLOCATION, record_id=made.pk, action=ChangeAction.UPDATE
    ).order_by("id")
    assert [e.changes for e in events] == [
        {"program_code": ["HN2025-CT-001", "HN2025-CT-101"]},
        {"supplementary_code": ["HANAM-GHOE-2025-S1", "HANAM-GHOE-2025-S01"]},
    ]
    fresh = await allocations.values_of(None, await Allocation.get(pk=made.pk))
    assert (fresh["program_code"], fresh["supplementary_code"]) == ("HN2025-CT-101", "HANAM-GHOE-2025-S01")


async def test_a_supplement_cannot_move_to_an_agreement_whose_term_misses_its_allocations(db: str) -> None:
    await world()
    await set_allocation({**allocation_fields(), "fiscal_year": 2026})
    await agreement(code="HANAM-GHOE-2027", term_start=date(2027, 1, 1), term_end=date(2028, 12, 31))
    found = await supplementary_agreements.get_by_code("HANAM-GHOE-2025-S1")
    assert found is not None
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await supplementary_agreements.update(scope, found, {"agreement_code": "HANAM-GHOE-2027"})
    assert [(e.field, e.code) for e in failure.value.errors] == [("agreementCode", ErrorCode.OUTSIDE_TERM)]
    with pytest.raises(ValidationFailed) as unknown:
        await supplement("S-X", agreement_code="NOPE")
    assert unknown.value.errors[0].message == "협약코드 'NOPE'인 협약이 없습니다."
