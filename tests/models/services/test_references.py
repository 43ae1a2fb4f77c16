"""Reference cells follow renames (both engines): a code change is an event for every referrer."""

from __future__ import annotations

import pytest

from models.actor import SYSTEM_ACTOR, Actor
from models.budget_line import BudgetLine
from models.change_event import ChangeEvent
from models.enums import ActorKind, ChangeAction, Funder, ProgramCategory, RecordType, Role, SchoolLevel
from models.errors import ErrorCode, ValidationFailed
from models.program import Program
from models.school import School
from models.services import budget_lines, programs, schools
from models.services.write_scope import write_scope

STAFF = Actor(ActorKind.API_TOKEN, "교육지원청 담당자", Role.STAFF)


async def _world() -> tuple[School, list[Program]]:
    """School A1 with P1 and archived P2; school B2 with P3 (two lines, one archived); city-wide P4."""
    async with write_scope(SYSTEM_ACTOR) as scope:
        school = await schools.create(
            scope, {"code": "A1", "name": "미사고", "level": SchoolLevel.HIGH, "district": "미사"}
        )
        await schools.create(
            scope, {"code": "B2", "name": "위례고", "level": SchoolLevel.HIGH, "district": "위례"}
        )
        rows = []
        for code, home in (("P1", "A1"), ("P2", "A1"), ("P3", "B2"), ("P4", None)):
            rows.append(
                await programs.create(
                    scope,
                    {
                        "code": code,
                        "name": code,
                        "category": ProgramCategory.OTHER,
                        "school_code": home,
                        "fiscal_year": 2025,
                    },
                )
            )
        lines = [
            await budget_lines.create(
                scope, {"program_code": code, "fiscal_year": 2025, "funder": Funder.CITY, "allocated": 10}
            )
            for code in ("P1", "P3", "P3")
        ]
        await budget_lines.archive(scope, lines[1])
        await programs.archive(scope, rows[1])
    return school, rows


async def _updates(record_type: RecordType) -> list[tuple[int, dict[str, list[object]], str]]:
    events = ChangeEvent.filter(record_type=record_type, action=ChangeAction.UPDATE).order_by("id")
    return [(e.record_id, e.changes, e.actor_name) for e in await events]


async def test_a_school_rename_is_an_event_for_each_of_its_programs_archived_too(db: str) -> None:
    school, rows = await _world()
    async with write_scope(STAFF) as scope:
        await schools.update(scope, school, {"code": "A1-NEW", "name": "미사강변고"})
    assert await _updates(RecordType.PROGRAM) == [
        (rows[0].id, {"school_code": ["A1", "A1-NEW"]}, STAFF.name),
        (rows[1].id, {"school_code": ["A1", "A1-NEW"]}, STAFF.name),
    ]
    [school_event] = await ChangeEvent.filter(record_type=RecordType.SCHOOL, action=ChangeAction.UPDATE)
    assert school_event.changes == {"code": ["A1", "A1-NEW"], "name": ["미사고", "미사강변고"]}
    # One transaction: the school's event, then its programs' right after it.
    ids = await ChangeEvent.filter(id__gt=school_event.id).values_list("id", flat=True)
    assert len(ids) == 2


async def test_a_program_rename_is_an_event_for_each_of_its_budget_lines(db: str) -> None:
    _, rows = await _world()
    line_ids = [line.id for line in await BudgetLine.filter(program_id=rows[2].id).order_by("id")]
    async with write_scope(STAFF) as scope:
        await programs.update(scope, rows[2], {"code": "P3-R"})
    assert len(line_ids) == 2  # one of them archived: its history and sheet row show the code too
    changes: dict[str, list[object]] = {"program_code": ["P3", "P3-R"]}
    expected = [(i, changes, STAFF.name) for i in line_ids]
    assert await _updates(RecordType.BUDGET_LINE) == expected


async def test_no_rename_no_reference_events(db: str) -> None:
    school, rows = await _world()
    async with write_scope(STAFF) as scope:
        await schools.update(scope, school, {"code": "A1", "students": 5})
        await programs.update(scope, rows[0], {"code": "P1", "name": "새 이름"})
    assert await _updates(RecordType.BUDGET_LINE) == []
    assert [changes for _, changes, _ in await _updates(RecordType.PROGRAM)] == [{"name": ["P1", "새 이름"]}]


async def test_a_refused_rename_leaves_no_events(db: str) -> None:
    school, _ = await _world()
    before = await ChangeEvent.all().count()
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(STAFF) as scope:
            await schools.update(scope, school, {"code": "B2"})
    assert failure.value.errors[0].code is ErrorCode.DUPLICATE_CODE
    assert await ChangeEvent.all().count() == before


async def test_moving_to_a_renamed_away_code_is_unknown(db: str) -> None:
    school, rows = await _world()
    async with write_scope(STAFF) as scope:
        await schools.update(scope, school, {"code": "A9"})
    with pytest.raises(ValidationFailed) as failure:
        async with write_scope(STAFF) as scope:
            await programs.update(scope, rows[3], {"school_code": "A1"})
    assert [(e.field, e.code) for e in failure.value.errors] == [("schoolCode", ErrorCode.UNKNOWN_SCHOOL)]
    async with write_scope(STAFF) as scope:
        await programs.update(scope, rows[3], {"school_code": "A9"})
    *_, (record_id, changes, _) = await _updates(RecordType.PROGRAM)
    assert (record_id, changes) == (rows[3].id, {"school_code": [None, "A9"]})
