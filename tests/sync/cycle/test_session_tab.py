"""The 운영 실적 tab syncs both ways through real cycles (gspread against the emulator); both engines.

Counts only: a column of a student's name, number or contact is a sync issue and never stored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.enums import PartnerKind
from models.program_session import ProgramSession
from models.services import partners, program_sessions
from models.services.write_scope import write_scope
from models.sync_state import SyncIssue
from tests.sync.conftest import World, add_program

TAB = "운영 실적"
HEADER = ["ID", "사업코드", "일자", "장소", "교육자원코드", "초등", "중등", "고등", "특수", "시간", "비고"]


async def _session(**extra: object) -> int:
    await add_program("P-001")
    async with write_scope(SYSTEM_ACTOR) as scope:
        await partners.create(
            scope, {"code": "EX-UNI-01", "name": "한강미래대학교", "kind": PartnerKind.UNIVERSITY}
        )
        fields = {
            "program_code": "P-001",
            "held_on": date(2025, 4, 10),
            "place": "본관",
            "middle": 25,
            **extra,
        }
        session = await program_sessions.create(scope, fields)  # type: ignore[arg-type]
    pk: int = session.pk
    return pk


async def test_sessions_are_written_out_and_a_sheet_edit_reaches_the_database(world: World) -> None:
    session_id = await _session(partner_code="EX-UNI-01", hours=Decimal("2.5"))
    await world.settle()
    rows = world.rows(TAB)
    assert rows[0] == HEADER
    assert rows[1][:10] == [
        str(session_id),
        "P-001",
        "2025-04-10",
        "본관",
        "EX-UNI-01",
        "0",
        "25",
        "0",
        "0",
        "2.5",
    ]
    world.tab(TAB).update([[30, 4]], "G2:H2", raw=False)
    world.tab(TAB).update([["1.5"]], "J2", raw=False)
    report = await world.cycle()
    session = await ProgramSession.get(id=session_id)
    assert (session.middle, session.high, session.hours) == (30, 4, Decimal("1.5"))
    assert report.counts["sheet->db"] == 1
    event = await ChangeEvent.filter(record_type="ProgramSession", action="UPDATE").get()
    assert event.changes == {"middle": [25, 30], "high": [0, 4], "hours": ["2.5", "1.5"]}


async def test_a_database_edit_reaches_the_sheet(world: World) -> None:
    session_id = await _session()
    await world.settle()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await program_sessions.update(
            scope, await ProgramSession.get(id=session_id), {"partner_code": "EX-UNI-01", "special": 2}
        )
    await world.cycle()
    row = world.rows(TAB)[1]
    assert (row[4], row[8]) == ("EX-UNI-01", "2")


async def test_a_row_staff_add_becomes_a_session_with_an_id(world: World) -> None:
    await _session()
    await world.settle()
    world.tab(TAB).append_row(["", "P-001", "2025. 5. 2.", "시청 대회의실", "", "", "12", "", "", "3", ""])
    await world.settle()
    added = await ProgramSession.get(place="시청 대회의실")
    assert (added.held_on, added.middle, added.hours) == (date(2025, 5, 2), 12, Decimal("3.0"))
    assert world.rows(TAB)[2][0] == str(added.pk)


async def test_bad_cells_are_korean_sync_issues_and_lose_nothing(world: World) -> None:
    session_id = await _session()
    await world.settle()
    world.tab(TAB).update([["-3"]], "G2", raw=False)  # the service refuses a negative count
    world.tab(TAB).update([["1.25"]], "J2", raw=False)  # not tenths: the cell refuses it
    world.tab(TAB).append_row(["", "NOPE", "2025-06-01", "교실", "", "1", "", "", "", "", ""])
    await world.cycle()
    issues = {(i.row_number, i.column): i.problem for i in await SyncIssue.filter(resolved_at=None, tab=TAB)}
    assert "0.1 단위의 숫자가 아닙니다" in issues[(2, "hours")]
    assert "사업코드 'NOPE'인 사업이 없습니다." in issues[(3, "program_code")]
    assert (await ProgramSession.get(id=session_id)).middle == 25
    assert await ProgramSession.all().count() == 1
    world.tab(TAB).update([["2"]], "J2", raw=False)
    await world.cycle()
    issues = {(i.row_number, i.column): i.problem for i in await SyncIssue.filter(resolved_at=None, tab=TAB)}
    assert "중등 참여 인원은 0명 이상이어야 합니다." in issues[(2, "middle")]
    assert world.rows(TAB)[1][6] == "-3"  # what staff typed stays in the sheet until they fix it


async def test_a_student_name_column_is_an_issue_and_never_stored(world: World) -> None:
    session_id = await _session()
    await world.settle()
    world.tab(TAB).update([["학생 이름", "학번"], ["김하남", "20250101"]], "L1:M2", raw=False)
    world.tab(TAB).update([[26]], "G2", raw=False)
    await world.cycle()
    issues = await SyncIssue.filter(resolved_at=None, tab=TAB, code="PERSONAL_DATA_COLUMN").order_by("value")
    assert [i.value for i in issues] == ["학번", "학생 이름"]
    assert "개인정보보호법" in issues[0].problem
    assert (await ProgramSession.get(id=session_id)).middle == 26  # the rest of the tab still syncs
    stored = [str(e.changes) for e in await ChangeEvent.filter(record_type="ProgramSession")]
    assert not any("김하남" in text or "20250101" in text for text in stored)
