"""The 교육자원 tab syncs both ways through the same machinery as the other tabs (RecordKind)."""

from __future__ import annotations

from models.actor import SYSTEM_ACTOR
from models.enums import PartnerKind
from models.partner import Partner
from models.services import partners
from models.services.write_scope import write_scope
from models.sync_state import SyncIssue
from tests.sync.conftest import World

TAB = "교육자원"
HEADER = ["ID", "기관코드", "기관명", "유형", "권역", "대표전화", "대표이메일", "홈페이지"]


async def _add_partner(code: str = "EX-UNI-01", name: str = "한강미래대학교", **extra: object) -> int:
    async with write_scope(SYSTEM_ACTOR) as scope:
        fields = {"code": code, "name": name, "kind": PartnerKind.UNIVERSITY, "district": "미사", **extra}
        partner = await partners.create(scope, fields)  # type: ignore[arg-type]
    pk: int = partner.pk
    return pk


async def test_partners_are_written_out_with_korean_labels(world: World) -> None:
    partner_id = await _add_partner(phone="031-000-0001", email="a@example.org")
    await world.settle()
    rows = world.rows(TAB)
    assert rows[0] == HEADER
    assert rows[1][:7] == [
        str(partner_id),
        "EX-UNI-01",
        "한강미래대학교",
        "대학",
        "미사",
        "031-000-0001",
        "a@example.org",
    ]


async def test_staff_edit_in_the_tab_reaches_the_database(world: World) -> None:
    partner_id = await _add_partner()
    await world.settle()
    world.tab(TAB).update([["마을", "감일"]], "D2:E2", raw=False)
    report = await world.cycle()
    partner = await Partner.get(id=partner_id)
    assert (partner.kind, partner.district) == (PartnerKind.VILLAGE, "감일")
    assert report.counts["sheet->db"] == 1


async def test_a_row_staff_add_becomes_a_partner_with_an_id(world: World) -> None:
    await world.settle()
    world.tab(TAB).append_row(["", "EX-COM-09", "미사데이터", "기업", "미사", "", "", ""])
    await world.settle()
    partner = await Partner.get(code="EX-COM-09")
    assert partner.kind is PartnerKind.COMPANY
    assert world.rows(TAB)[1][0] == str(partner.pk)


async def test_api_edit_reaches_the_tab(world: World) -> None:
    partner_id = await _add_partner()
    await world.settle()
    async with write_scope(SYSTEM_ACTOR) as scope:
        await partners.update(scope, await Partner.get(id=partner_id), {"homepage": "https://example.org/u"})
    await world.cycle()
    assert world.rows(TAB)[1][7] == "https://example.org/u"


async def test_a_bad_cell_is_a_sync_issue_and_loses_nothing(world: World) -> None:
    a = await _add_partner()
    b = await _add_partner(code="EX-VIL-01", name="신장마을공동체")
    await world.settle()
    world.tab(TAB).update([["학교"]], "D2", raw=False)  # no such kind
    world.tab(TAB).update([["메일없음"]], "G3", raw=False)  # the service refuses the e-mail
    world.tab(TAB).update([["한강미래대학교 본관"]], "C2", raw=False)  # held with its row
    await world.cycle()
    issues = sorted((i.row_number, i.column) for i in await SyncIssue.filter(resolved_at=None, tab=TAB))
    assert issues == [(2, "kind"), (3, "email")]
    assert (await Partner.get(id=a)).name == "한강미래대학교"
    assert (await Partner.get(id=b)).email == ""
    assert world.rows(TAB)[1][2] == "한강미래대학교 본관"  # the staff's edit stays in the sheet
    world.tab(TAB).update([["대학"]], "D2", raw=False)
    world.tab(TAB).update([["info@example.org"]], "G3", raw=False)
    await world.cycle()
    await world.settle()
    assert (await Partner.get(id=a)).name == "한강미래대학교 본관"
    assert (await Partner.get(id=b)).email == "info@example.org"
    assert await SyncIssue.filter(resolved_at=None).count() == 0
