"""Partners over GraphQL: queries, filters, nested links, mutations, permissions, PARTNER_KIND."""

from __future__ import annotations

from typing import Any

from models.actor import SYSTEM_ACTOR
from models.enums import PartnerKind
from models.partner import Partner
from models.services import partners, program_partners
from models.services.write_scope import write_scope
from schema.budget_summary import compute_budget_summary
from schema.enums import BudgetDimension
from tests.schema.schema_kit import Run, World, WorldFactory

PAYLOAD = "{ partner { code name kind district phone archivedAt } userErrors { field message code } }"


async def _partners(world: World) -> None:
    """A university and a company on program 0, a second company on program 0 and 1, none elsewhere."""
    rows = [
        ("EX-UNI-01", "한강미래대학교", PartnerKind.UNIVERSITY, "미사", [0]),
        ("EX-COM-01", "미사데이터", PartnerKind.COMPANY, "미사", [0, 1]),
        ("EX-COM-02", "위례바이오랩", PartnerKind.COMPANY, "위례", [0]),
        ("EX-VIL-01", "감일생태마을", PartnerKind.VILLAGE, "감일", []),
    ]
    async with write_scope(SYSTEM_ACTOR) as scope:
        for code, name, kind, district, linked in rows:
            partner = await partners.create(
                scope, {"code": code, "name": name, "kind": kind, "district": district}
            )
            for index in linked:
                await program_partners.link(scope, partner, world.programs[index].code, f"역할 {index}")


async def _mutate(run: Run, name: str, values: dict[str, Any], viewer: str = "staff") -> Any:
    input_type = name[0].upper() + name[1:] + "Input"
    body = await run(
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {PAYLOAD} }}",
        {"input": values},
        viewer=viewer,
    )
    assert "errors" not in body, body
    return body["data"][name]


async def test_partners_filters_and_ordering(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=2)
    await _partners(world)

    async def codes(arguments: str) -> list[str]:
        selection = f"({arguments})" if arguments else ""
        body = await run(
            f"{{ partners{selection} {{ totalCount edges {{ node {{ code }} }} }} }}", viewer="anonymous"
        )
        assert "errors" not in body, body
        return [edge["node"]["code"] for edge in body["data"]["partners"]["edges"]]

    assert await codes("") == ["EX-COM-01", "EX-COM-02", "EX-UNI-01", "EX-VIL-01"]
    assert await codes("filter: {kinds: [COMPANY]}") == ["EX-COM-01", "EX-COM-02"]
    assert await codes('filter: {districts: ["미사"]}') == ["EX-COM-01", "EX-UNI-01"]
    assert await codes('filter: {codes: ["EX-VIL-01", "NONE"]}') == ["EX-VIL-01"]
    program_codes = [world.programs[0].code, world.programs[1].code]
    assert await codes(f"filter: {{programCodes: {program_codes!r}}}".replace("'", '"')) == [
        "EX-COM-01",
        "EX-COM-02",
        "EX-UNI-01",
    ]
    assert await codes("orderBy: [{field: NAME, direction: DESC}]") == [
        "EX-UNI-01",
        "EX-COM-02",
        "EX-COM-01",
        "EX-VIL-01",
    ]
    async with write_scope(SYSTEM_ACTOR) as scope:
        await partners.archive(scope, await Partner.get(code="EX-VIL-01"))
    assert await codes("filter: {kinds: [VILLAGE]}") == []
    assert await codes("filter: {kinds: [VILLAGE], includeArchived: true}") == ["EX-VIL-01"]


async def test_program_partners_and_partner_programs_both_ways(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=2)
    await _partners(world)
    query = """query($code: String!) { program(code: $code) { partners { role partner { code kind
      programs { role program { code } } } } }
      partner(code: "EX-COM-01") { programs { program { code } } } }"""
    body = await run(query, {"code": world.programs[0].code}, viewer="anonymous")
    assert "errors" not in body, body
    links = body["data"]["program"]["partners"]
    assert [(link["partner"]["code"], link["role"]) for link in links] == [
        ("EX-COM-01", "역할 0"),
        ("EX-COM-02", "역할 0"),
        ("EX-UNI-01", "역할 0"),
    ]
    assert [p["program"]["code"] for p in links[0]["partner"]["programs"]] == [
        world.programs[0].code,
        world.programs[1].code,
    ]
    assert len(body["data"]["partner"]["programs"]) == 2


async def test_partner_mutations_user_errors_and_links(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1)
    values = {"code": "EX-INS-01", "name": "하남청소년수련원", "kind": "INSTITUTION", "district": "신장"}
    created = await _mutate(run, "partnerCreate", values)
    assert created["userErrors"] == [] and created["partner"]["kind"] == "INSTITUTION"
    again = await _mutate(run, "partnerCreate", {**values, "phone": "번호"})
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [
        ("code", "DUPLICATE_CODE"),
        ("phone", "INVALID"),
    ]
    assert again["userErrors"][1]["message"] == "전화번호 형식이 올바르지 않습니다."
    gid = (await run('{ partner(code: "EX-INS-01") { id } }'))["data"]["partner"]["id"]
    updated = await _mutate(run, "partnerUpdate", {"id": gid, "phone": "031-000-0100"})
    assert updated["partner"]["phone"] == "031-000-0100"
    link = await _mutate(
        run,
        "programPartnerSet",
        {"partnerCode": "EX-INS-01", "programCode": world.programs[0].code, "role": "공간 제공"},
    )
    assert link["userErrors"] == []
    unknown = await _mutate(run, "programPartnerSet", {"partnerCode": "EX-INS-01", "programCode": "NOPE"})
    assert unknown["userErrors"][0]["code"] == "UNKNOWN_PROGRAM"
    archived = await _mutate(run, "partnerArchive", {"code": "EX-INS-01"})
    assert archived["partner"]["archivedAt"] is not None
    restored = await _mutate(run, "partnerRestore", {"id": gid})
    assert restored["partner"]["archivedAt"] is None
    removed = await _mutate(
        run, "programPartnerRemove", {"partnerCode": "EX-INS-01", "programCode": world.programs[0].code}
    )
    assert removed["userErrors"] == []
    history = await run(
        "query($id: ID!) { history(recordId: $id) { nodes { action changes { field } } } }",
        {"id": gid},
        viewer="partner",
    )
    actions = [(n["action"], [c["field"] for c in n["changes"]]) for n in history["data"]["history"]["nodes"]]
    assert actions[0] == ("UPDATE", ["programs"]) and actions[-1][0] == "CREATE"


async def test_readers_cannot_write_partners(run: Run, db: str) -> None:
    for viewer in ("anonymous", "partner"):
        body = await run(
            'mutation { partnerCreate(input: {code: "Z1", name: "기관", kind: OTHER}) { partner { id } } }',
            viewer=viewer,
        )
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not await Partner.exists()


async def test_budget_summary_by_partner_kind_figures(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=2)
    await _partners(world)
    live = [line for line in world.lines if line.archived_at is None]
    by_program: dict[int, list[int]] = {}
    for line in live:
        entry = by_program.setdefault(line.program_id, [0, 0, 0])
        entry[0] += line.allocated
        entry[1] += line.executed
        entry[2] += 1
    first, second = world.programs[0].pk, world.programs[1].pk
    others = [pk for pk in by_program if pk not in (first, second)]

    def total(pks: list[int]) -> list[int]:
        return [sum(by_program[pk][i] for pk in pks) for i in range(3)]

    groups = await compute_budget_summary([BudgetDimension.PARTNER_KIND])
    actual = {(g.keys[0].value, g.keys[0].label): [g.allocated, g.executed, g.line_count] for g in groups}
    # Program 0 counts once in 기업 although two companies serve it, and once in 대학.
    assert actual == {
        ("COMPANY", "기업"): total([first, second]),
        ("UNIVERSITY", "대학"): total([first]),
        (None, "없음"): total(others),
    }
    body = await run(
        "{ budgetSummary(groupBy: [PARTNER_KIND, FISCAL_YEAR]) { partnerKind fiscalYear allocated } }",
        viewer="anonymous",
    )
    assert "errors" not in body, body
    assert (
        sum(g["allocated"] for g in body["data"]["budgetSummary"] if g["partnerKind"] == "UNIVERSITY")
        == total([first])[0]
    )
