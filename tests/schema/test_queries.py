"""Reading: filters, ordering, cursor pagination with totalCount and a cap, look-ups, node(id:)."""

from __future__ import annotations

from typing import Any

from strawberry.relay import GlobalID

from models.actor import SYSTEM_ACTOR
from models.services import programs
from models.services.write_scope import write_scope
from tests.schema.schema_kit import Run, WorldFactory

SCHOOLS = """
query($filter: SchoolFilter, $orderBy: [SchoolOrder!], $first: Int, $after: String) {
  schools(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { code name level district students } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


def _codes(body: dict[str, Any], field: str = "schools") -> list[str]:
    assert "errors" not in body, body
    return [edge["node"]["code"] for edge in body["data"][field]["edges"]]


async def test_school_filters(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=10)
    by_level = await run(SCHOOLS, {"filter": {"levels": ["HIGH", "SPECIAL"]}}, viewer="anonymous")
    assert _codes(by_level) == ["S0002", "S0003", "S0006", "S0007"]
    by_district = await run(SCHOOLS, {"filter": {"districts": ["미사"], "codes": ["S0005", "S0001"]}})
    assert _codes(by_district) == ["S0005"]
    by_name = await run(SCHOOLS, {"filter": {"nameContains": "S1학"}})
    assert _codes(by_name) == ["S0001"]
    assert by_level["data"]["schools"]["totalCount"] == 4


async def test_ordering_is_stable_and_reversible(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=6)
    order = [{"field": "STUDENTS", "direction": "DESC"}]
    assert _codes(await run(SCHOOLS, {"orderBy": order})) == [f"S000{i}" for i in range(5, -1, -1)]
    by_level = _codes(
        await run(SCHOOLS, {"orderBy": [{"field": "LEVEL"}, {"field": "CODE", "direction": "DESC"}]})
    )
    # Enum fields order by their stable names: ELEMENTARY, HIGH, MIDDLE, SPECIAL.
    assert by_level == ["S0004", "S0000", "S0002", "S0005", "S0001", "S0003"]


async def test_cursor_pagination_walks_every_record_once(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=7)
    seen: list[str] = []
    after = None
    while True:
        body = await run(SCHOOLS, {"first": 3, "after": after})
        connection = body["data"]["schools"]
        assert connection["totalCount"] == 7
        seen += _codes(body)
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [f"S000{i}" for i in range(7)]


async def test_page_size_cap_and_bad_cursor_are_clear_errors(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=2)
    too_big = await run(SCHOOLS, {"first": 101})
    assert too_big["data"] is None
    assert "between 1 and 100" in too_big["errors"][0]["message"]
    assert too_big["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "maxPageSize": 100}
    bad_cursor = await run(SCHOOLS, {"after": "not-a-cursor"})
    assert "Invalid cursor" in bad_cursor["errors"][0]["message"]


async def test_programs_filters_and_city_wide(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=3, programs_per_school=2)
    query = (
        "query($f: ProgramFilter) { programs(filter: $f, first: 100) { totalCount edges { node { code } } } }"
    )
    city = await run(query, {"f": {"cityWide": True}}, viewer="anonymous")
    assert _codes(city, "programs") == ["PS0006"]
    at_school = await run(query, {"f": {"schoolCodes": ["S0001"], "fiscalYears": [2025]}})
    assert _codes(at_school, "programs") == ["PS0002"]
    high = await run(
        query, {"f": {"levels": ["HIGH"], "categories": ["CAMPUS_TOUR", "VILLAGE_EXPERIENCE_SCHOOL"]}}
    )
    assert _codes(high, "programs") == ["PS0004"]
    async with write_scope(SYSTEM_ACTOR) as scope:
        for line in [line for line in world.lines if line.program_id == world.programs[0].id]:
            from models.services import budget_lines

            await budget_lines.archive(scope, line)
        await programs.archive(scope, world.programs[0])
    live = await run(query, {"f": {"schoolCodes": ["S0000"]}})
    assert _codes(live, "programs") == ["PS0001"]
    archived_too = await run(query, {"f": {"schoolCodes": ["S0000"], "includeArchived": True}})
    assert _codes(archived_too, "programs") == ["PS0000", "PS0001"]


async def test_budget_lines_filter_and_order_by_amount(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=3)
    query = """query($f: BudgetFilter) {
      budgetLines(filter: $f, orderBy: [{field: ALLOCATED, direction: DESC}], first: 100) {
        totalCount nodes { allocated funder program { code } } } }"""
    body = await run(query, {"f": {"funders": ["CITY"], "districts": ["미사", "위례"]}}, viewer="partner")
    nodes = body["data"]["budgetLines"]["nodes"]
    expected = sorted(
        (
            line.allocated
            for line in world.lines
            if line.funder == "CITY"
            and next(p for p in world.programs if p.id == line.program_id).school_id
            in {world.schools[0].id, world.schools[1].id}
        ),
        reverse=True,
    )
    assert [n["allocated"] for n in nodes] == expected
    assert body["data"]["budgetLines"]["totalCount"] == len(expected)


async def test_lookups_and_nested_relations_both_ways(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=2, programs_per_school=1, lines_per_program=2)
    body = await run(
        """{ school(code: "S0001") { name programs { code school { code } budgetLines { program { code } } } }
             program(code: "PS0002") { school { code } schoolCode }
             missing: school(code: "NOPE") { code } }""",
        viewer="partner",
    )
    school = body["data"]["school"]
    assert school["name"] == "하남S1학교"
    assert school["programs"][0]["school"]["code"] == "S0001"
    assert {line["program"]["code"] for line in school["programs"][0]["budgetLines"]} == {"PS0001"}
    assert body["data"]["program"] == {"school": None, "schoolCode": None}
    assert body["data"]["missing"] is None


async def test_node_by_global_id_follows_read_rules(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, programs_per_school=1, lines_per_program=1)
    query = """query($id: ID!) {
      node(id: $id) { __typename id ... on School { code } ... on BudgetLine { allocated } } }"""
    school_id = str(GlobalID("School", str(world.schools[0].id)))
    line_id = str(GlobalID("BudgetLine", str(world.lines[0].id)))
    school = await run(query, {"id": school_id}, viewer="anonymous")
    assert school["data"]["node"] == {"__typename": "School", "id": school_id, "code": "S0000"}
    denied = await run(query, {"id": line_id}, viewer="anonymous")
    assert denied["data"]["node"] is None
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    allowed = await run(query, {"id": line_id}, viewer="partner")
    assert allowed["data"]["node"]["allocated"] == world.lines[0].allocated
    missing = await run(query, {"id": str(GlobalID("School", "999999"))})
    assert missing == {"data": {"node": None}}
    foreign = await run(query, {"id": str(GlobalID("Token", "1"))})
    assert "not an id this API issued" in foreign["errors"][0]["message"]
    garbage = await run(query, {"id": "%%%"})
    assert garbage["data"] == {"node": None}
    assert "cannot represent a GlobalID" in garbage["errors"][0]["message"]


async def test_anonymous_reads_schools_programs_and_figures_but_not_lines(
    run: Run, make_world: WorldFactory
) -> None:
    await make_world(schools_count=1)
    body = await run(
        """{ programs(first: 5) { nodes { code budgetLines { allocated } } }
             budgetSummary(groupBy: [FUNDER]) { allocated }
             budgetLines(first: 5) { totalCount } }""",
        viewer="anonymous",
    )
    assert body["data"]["programs"]["nodes"][0]["budgetLines"] is None
    assert body["data"]["budgetLines"] is None
    assert body["data"]["budgetSummary"]
    forbidden_paths = {tuple(e["path"]) for e in body["errors"]}
    assert ("budgetLines",) in forbidden_paths
    assert ("programs", "nodes", 0, "budgetLines") in forbidden_paths
    assert all(e["extensions"]["code"] == "FORBIDDEN" for e in body["errors"])
    assert "API 토큰" in body["errors"][0]["message"]
    for restricted in (
        'history(recordId: "U2Nob29sOjE=") { totalCount }',
        "syncIssues { totalCount }",
        "conflicts { totalCount }",
    ):
        denied = await run("{ " + restricted + " }", viewer="anonymous")
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN", restricted
        granted = await run("{ " + restricted + " }", viewer="partner")
        assert "errors" not in granted, granted
