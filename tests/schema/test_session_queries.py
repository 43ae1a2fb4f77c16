"""Program sessions over GraphQL: mutations with Korean userErrors, filters, activitySummary; both engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.enums import PartnerKind
from models.services import partners, program_sessions, programs
from models.services.write_scope import write_scope
from schema.activity_summary import compute_activity_summary
from schema.enums import BudgetDimension
from schema.session_filters import ProgramSessionFilter
from tests.schema.schema_kit import Run, World, WorldFactory

PAYLOAD = (
    "{ programSession { id heldOn place partnerCode programCode middle hours participants }"
    " userErrors { field message code } }"
)


async def _sessions(world: World) -> None:
    """Three sessions on program 0 (one hosted by a university), one on program 1, one with nobody."""
    async with write_scope(SYSTEM_ACTOR) as scope:
        await partners.create(
            scope, {"code": "EX-UNI-01", "name": "한강미래대학교", "kind": PartnerKind.UNIVERSITY}
        )
        rows: list[dict[str, Any]] = [
            {
                "program_code": world.programs[0].code,
                "held_on": date(2025, 4, 1),
                "middle": 20,
                "partner_code": "EX-UNI-01",
            },
            {"program_code": world.programs[0].code, "held_on": date(2025, 5, 1), "elementary": 7, "high": 3},
            {
                "program_code": world.programs[0].code,
                "held_on": date(2025, 6, 1),
                "special": 2,
                "hours": Decimal("1.5"),
            },
            {"program_code": world.programs[1].code, "held_on": date(2025, 9, 1), "high": 9, "place": "시청"},
            {"program_code": world.programs[2].code, "held_on": date(2025, 10, 1), "place": "도서관"},
        ]
        for row in rows:
            await program_sessions.create(scope, {"place": "교실", **row})  # type: ignore[typeddict-item]


async def _mutate(run: Run, name: str, values: dict[str, Any], viewer: str = "staff") -> Any:
    input_type = name[0].upper() + name[1:] + "Input"
    body = await run(
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {PAYLOAD} }}",
        {"input": values},
        viewer=viewer,
    )
    assert "errors" not in body, body
    return body["data"][name]


async def test_create_update_archive_through_mutations(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1)
    code = world.programs[0].code
    created = await _mutate(
        run,
        "programSessionCreate",
        {"programCode": code, "heldOn": "2025-04-02", "middle": 12, "hours": "2.5"},
    )
    assert created["userErrors"] == []
    session = created["programSession"]
    assert (session["programCode"], session["hours"], session["participants"]) == (code, "2.5", 12)
    updated = await _mutate(
        run, "programSessionUpdate", {"id": session["id"], "middle": 15, "partnerCode": None}
    )
    assert updated["programSession"]["middle"] == 15
    archived = await _mutate(run, "programSessionArchive", {"id": session["id"]})
    assert archived["userErrors"] == []


async def test_bad_input_is_korean_user_errors_and_stores_nothing(run: Run, make_world: WorldFactory) -> None:
    await make_world(schools_count=1)
    refused = await _mutate(
        run,
        "programSessionCreate",
        {"programCode": "NOPE", "heldOn": "2025-04-02", "middle": -4, "hours": "0.25"},
    )
    assert refused["programSession"] is None
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("middle", "OUT_OF_RANGE"),
        ("hours", "INVALID"),
        ("programCode", "UNKNOWN_PROGRAM"),
    ]
    assert refused["userErrors"][0]["message"] == "중등 참여 인원은 0명 이상이어야 합니다."
    body = await run("{ programSessions { totalCount } }", viewer="staff")
    assert body["data"]["programSessions"]["totalCount"] == 0


async def test_a_session_for_an_archived_program_is_refused(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1, lines_per_program=0)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await programs.archive(scope, world.programs[0])
    refused = await _mutate(
        run, "programSessionCreate", {"programCode": world.programs[0].code, "heldOn": "2025-04-02"}
    )
    [error] = refused["userErrors"]
    assert (error["field"], error["code"]) == ("programCode", "ARCHIVED")
    assert "보관(삭제)되어 운영 실적을 기록할 수 없습니다" in error["message"]


async def test_sessions_need_a_token_and_writes_need_staff(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1)
    await _sessions(world)
    anonymous = await run("{ programSessions { totalCount } }", viewer="anonymous")
    assert anonymous["data"]["programSessions"] is None and anonymous["errors"]
    body = await run(
        "mutation($i: ProgramSessionCreateInput!) "
        "{ programSessionCreate(input: $i) { userErrors { code } } }",
        {"i": {"programCode": world.programs[0].code, "heldOn": "2025-04-02"}},
        viewer="partner",
    )
    assert body.get("errors")


async def test_filters_by_program_dates_partner_and_level(run: Run, make_world: WorldFactory) -> None:
    world = await make_world(schools_count=1)
    await _sessions(world)

    async def days(arguments: str) -> list[str]:
        body = await run(
            f"{{ programSessions(filter: {{{arguments}}}) {{ edges {{ node {{ heldOn }} }} }} }}",
            viewer="partner",
        )
        assert "errors" not in body, body
        return [edge["node"]["heldOn"] for edge in body["data"]["programSessions"]["edges"]]

    first = world.programs[0].code
    assert await days(f'programCodes: ["{first}"]') == ["2025-04-01", "2025-05-01", "2025-06-01"]
    assert await days('heldFrom: "2025-05-01", heldTo: "2025-09-01"') == [
        "2025-05-01",
        "2025-06-01",
        "2025-09-01",
    ]
    assert await days('partnerCodes: ["EX-UNI-01"]') == ["2025-04-01"]
    assert await days("levels: [HIGH, SPECIAL]") == ["2025-05-01", "2025-06-01", "2025-09-01"]
    assert await days("partnerKinds: [UNIVERSITY]") == ["2025-04-01"]


async def test_activity_summary_by_program_with_won_per_participant(
    run: Run, make_world: WorldFactory
) -> None:
    world = await make_world(schools_count=1)
    await _sessions(world)
    body = await run(
        "{ activitySummary(groupBy: [PROGRAM]) { programCode sessions participants elementary middle high"
        " special hours executed wonPerParticipant keys { label } } }",
        viewer="anonymous",
    )
    assert "errors" not in body, body
    groups = {g["programCode"]: g for g in body["data"]["activitySummary"]}
    executed = {
        p.code: sum(line.executed for line in await BudgetLine.filter(program_id=p.pk, archived_at=None))
        for p in world.programs[:3]
    }
    first = groups[world.programs[0].code]
    assert (first["sessions"], first["participants"], first["hours"]) == (3, 32, "1.5")
    assert (first["elementary"], first["middle"], first["high"], first["special"]) == (7, 20, 3, 2)
    assert first["executed"] == executed[world.programs[0].code]
    assert first["wonPerParticipant"] == (2 * first["executed"] + 32) // 64  # whole won, half up
    assert groups[world.programs[2].code]["wonPerParticipant"] is None  # nobody took part
    assert first["keys"][0]["label"] == world.programs[0].name


async def test_activity_summary_by_partner_kind_and_funder_refused(
    make_world: WorldFactory, run: Run
) -> None:
    world = await make_world(schools_count=1)
    await _sessions(world)
    groups = await compute_activity_summary(
        [BudgetDimension.PARTNER_KIND], ProgramSessionFilter(program_codes=[world.programs[0].code])
    )
    assert [(g.keys[0].label, g.sessions, g.participants) for g in groups] == [
        ("대학", 1, 20),
        ("없음", 2, 12),
    ]
    total = await compute_activity_summary([], None)
    assert [(g.sessions, g.participants) for g in total] == [(5, 41)]
    body = await run("{ activitySummary(groupBy: [FUNDER]) { sessions } }", viewer="anonymous")
    assert "cannot group by FUNDER" in body["errors"][0]["message"]
