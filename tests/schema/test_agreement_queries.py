"""Agreements, supplementary agreements and allocations over GraphQL: mutations with Korean
userErrors that write nothing, listings and filters, `budgeted`, permissions, history; both engines."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from models.allocation import Allocation as AllocationRow
from models.change_event import ChangeEvent
from models.enums import RecordType
from tests.schema.schema_kit import Run, World, WorldFactory

ERRORS = "userErrors { field message code }"
AGREEMENT = {
    "code": "HANAM-GHOE-2025",
    "title": "미래교육도시 하남 – 경기공유학교 업무협약",
    "parties": "하남시, 경기도광주하남교육지원청",
    "signedOn": "2024-12-20",
    "termStart": "2025-01-01",
    "termEnd": "2026-12-31",
}
SUPPLEMENT = {"code": "HANAM-GHOE-2025-S1", "agreementCode": "HANAM-GHOE-2025", "title": "2025년 실무 협약"}
ALLOCATION_FIELDS = (
    "allocation { id fiscalYear total programCode supplementaryCode shares { funder amount } "
    "budgeted { funder amount } budgetedTotal }"
)


async def _mutate(run: Run, name: str, values: dict[str, Any], selection: str, viewer: str = "staff") -> Any:
    input_type = name[0].upper() + name[1:] + "Input"
    body = await run(
        f"mutation M($input: {input_type}!) {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}",
        {"input": values},
        viewer=viewer,
    )
    assert "errors" not in body, body
    return body["data"][name]


async def _agreement_world(run: Run, make_world: WorldFactory) -> World:
    world = await make_world(schools_count=1)
    made = await _mutate(
        run, "agreementCreate", AGREEMENT, "agreement { code termStart termEnd fiscalYears }"
    )
    assert made["userErrors"] == []
    assert made["agreement"]["fiscalYears"] == [2025, 2026]
    made = await _mutate(
        run, "supplementaryAgreementCreate", SUPPLEMENT, "supplementaryAgreement { code agreementCode }"
    )
    assert made["supplementaryAgreement"] == {
        "code": "HANAM-GHOE-2025-S1",
        "agreementCode": "HANAM-GHOE-2025",
    }
    return world


def _allocation(program_code: str, year: int, total: int, **shares: int) -> dict[str, Any]:
    return {
        "supplementaryCode": "HANAM-GHOE-2025-S1",
        "programCode": program_code,
        "fiscalYear": year,
        "total": total,
        "shares": [{"funder": funder, "amount": amount} for funder, amount in shares.items()],
    }


async def _line_sums(world: World, index: int) -> dict[str, int]:
    program = world.programs[index]
    sums: dict[str, int] = {}
    for line in world.lines:
        if line.program_id == program.pk and line.fiscal_year == program.fiscal_year:
            sums[str(line.funder)] = sums.get(str(line.funder), 0) + line.allocated
    return sums


async def test_allocation_set_matches_the_budget_lines_and_shows_them_beside_it(
    run: Run, make_world: WorldFactory
) -> None:
    world = await _agreement_world(run, make_world)
    program = world.programs[0]
    sums = await _line_sums(world, 0)
    total = sum(sums.values())
    # A total above 2^31: Won carries it exactly.
    assert total > 2**31
    made = await _mutate(
        run, "allocationSet", _allocation(program.code, program.fiscal_year, total, **sums), ALLOCATION_FIELDS
    )
    assert made["userErrors"] == []
    allocation = made["allocation"]
    assert allocation["total"] == total and allocation["budgetedTotal"] == total
    assert {s["funder"]: s["amount"] for s in allocation["shares"]} == sums
    assert allocation["budgeted"] == allocation["shares"]  # both in the order of Funder
    again = await _mutate(
        run,
        "allocationSet",
        _allocation(
            program.code, program.fiscal_year, total + 1, **{**sums, "OTHER": sums.get("OTHER", 0) + 1}
        ),
        ALLOCATION_FIELDS,
    )
    assert again["allocation"]["id"] == allocation["id"]  # the same allocation, replaced
    assert again["allocation"]["budgetedTotal"] == total  # the lines did not move
    assert await AllocationRow.all().count() == 1


async def test_bad_input_of_every_kind_is_a_korean_user_error_and_writes_nothing(
    run: Run, make_world: WorldFactory
) -> None:
    world = await _agreement_world(run, make_world)
    code = world.programs[0].code
    cases = [
        (
            _allocation(code, 2025, 100, CITY=60, OFFICE_OF_EDUCATION=30),
            "shares",
            "SHARE_SUM_MISMATCH",
            "재원별 분담액 합계(90원)가 사업 총액(100원)과 다릅니다.",
        ),
        (
            _allocation(code, 2027, 100, CITY=100),
            "fiscalYear",
            "OUTSIDE_TERM",
            "2027년은 협약 'HANAM-GHOE-2025'의 기간(2025-01-01~2026-12-31) 밖이라 배정할 수 없습니다.",
        ),
        (
            _allocation(code, 2025, 100, CITY=-1, OTHER=101),
            "shares",
            "NEGATIVE_AMOUNT",
            "재원 'CITY': 금액은 0원 이상이어야 합니다.",
        ),
        (
            _allocation("NOPE", 2025, 100, CITY=100),
            "programCode",
            "UNKNOWN_PROGRAM",
            "사업코드 'NOPE'인 사업이 없습니다.",
        ),
        (
            {**_allocation(code, 2025, 100, CITY=100), "supplementaryCode": "S-NONE"},
            "supplementaryCode",
            "UNKNOWN_AGREEMENT",
            "실무협약코드 'S-NONE'인 실무 협약이 없습니다.",
        ),
    ]
    for values, field, error_code, message in cases:
        answer = await _mutate(run, "allocationSet", values, "allocation { id }")
        assert answer["allocation"] is None
        assert answer["userErrors"] == [{"field": field, "message": message, "code": error_code}], values
    assert await AllocationRow.all().count() == 0
    assert await ChangeEvent.filter(record_type=RecordType.ALLOCATION).count() == 0
    refused = await _mutate(
        run, "agreementCreate", {**AGREEMENT, "code": "X-2", "termEnd": "2024-12-31"}, "agreement { code }"
    )
    assert refused["userErrors"] == [
        {
            "field": "termEnd",
            "message": "협약 종료일(2024-12-31)이 시작일(2025-01-01)보다 빠를 수 없습니다.",
            "code": "OUT_OF_RANGE",
        }
    ]
    orphan = await _mutate(
        run,
        "supplementaryAgreementCreate",
        {**SUPPLEMENT, "code": "S-2", "agreementCode": "NOPE"},
        "supplementaryAgreement { code }",
    )
    assert orphan["userErrors"][0]["code"] == "UNKNOWN_AGREEMENT"


async def test_listings_filters_permissions_and_history(run: Run, make_world: WorldFactory) -> None:
    world = await _agreement_world(run, make_world)
    # Program 0's allocation paid by the office alone, program 1's by the city alone.
    for index, funder in ((0, "OFFICE_OF_EDUCATION"), (1, "CITY")):
        program = world.programs[index]
        values = _allocation(program.code, program.fiscal_year, 1_000_000, **{funder: 1_000_000})
        answer = await _mutate(run, "allocationSet", values, "allocation { id }")
        assert answer["userErrors"] == []
    query = """query Q($filter: AllocationFilter) {
      allocations(filter: $filter) { totalCount nodes { fiscalYear programCode } }
    }"""

    async def years(filter: dict[str, Any], viewer: str = "partner") -> Any:
        body = await run(query, {"filter": filter}, viewer=viewer)
        assert "errors" not in body or viewer == "anonymous", body
        page = body["data"]["allocations"]
        return None if page is None else [node["fiscalYear"] for node in page["nodes"]]

    assert await years({}) == [2025, 2026]
    assert await years({"fiscalYears": [2026]}) == [2026]
    assert await years({"programCodes": [world.programs[0].code]}) == [2025]
    assert await years(
        {"agreementCodes": ["HANAM-GHOE-2025"], "supplementaryCodes": ["HANAM-GHOE-2025-S1"]}
    ) == [2025, 2026]
    assert await years({"agreementCodes": ["OTHER"]}) == []
    assert await years({"funders": ["CITY"]}) == [2026]
    assert await years({"funders": ["OFFICE_OF_EDUCATION", "CITY"]}) == [2025, 2026]
    assert await years({"funders": ["PROVINCE"]}) == []
    assert await years({}, viewer="anonymous") is None  # money per program needs a token

    nested = await run(
        """query N {
          agreement(code: "HANAM-GHOE-2025") {
            title parties supplementaryAgreements { code allocations { fiscalYear } }
          }
          agreements(filter: {coversYear: 2026}) { totalCount }
          none: agreements(filter: {coversYear: 2027}) { totalCount }
          supplementaryAgreements(filter: {agreementCodes: ["HANAM-GHOE-2025"]}) {
            totalCount nodes { agreement { code } }
          }
        }""",
        viewer="anonymous",
    )
    data = nested["data"]
    assert data["agreement"]["parties"] == "하남시, 경기도광주하남교육지원청"
    assert data["agreement"]["supplementaryAgreements"] == [
        {"code": "HANAM-GHOE-2025-S1", "allocations": None}
    ]
    assert [e["extensions"]["code"] for e in nested["errors"]] == ["FORBIDDEN"]
    assert (data["agreements"]["totalCount"], data["none"]["totalCount"]) == (1, 0)
    assert data["supplementaryAgreements"]["nodes"] == [{"agreement": {"code": "HANAM-GHOE-2025"}}]

    listed = await run(
        "query P($code: String!) "
        "{ program(code: $code) { allocations { total supplementaryAgreement { code } } } }",
        {"code": world.programs[0].code},
        viewer="partner",
    )
    assert listed["data"]["program"]["allocations"][0]["supplementaryAgreement"] == {
        "code": "HANAM-GHOE-2025-S1"
    }

    denied = await run(
        'mutation D { agreementArchive(input: {code: "HANAM-GHOE-2025"}) { agreement { code } } }',
        viewer="partner",
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await _mutate(run, "agreementArchive", {"code": "HANAM-GHOE-2025"}, "agreement { code }")
    assert refused["userErrors"] == [
        {"field": None, "message": "이 협약의 실무 협약 1건을 먼저 보관해야 합니다.", "code": "IN_USE"}
    ]

    allocation = await AllocationRow.all().order_by("id").first()
    assert allocation is not None
    node = await run(
        """query H($id: ID!) {
          node(id: $id) { ... on Allocation { total } }
          history(recordId: $id) { nodes { action recordType changes { field newValue } } }
        }""",
        {"id": _global_id("Allocation", allocation.pk)},
        viewer="partner",
    )
    assert "errors" not in node, node
    [event] = node["data"]["history"]["nodes"]
    assert (event["action"], event["recordType"]) == ("CREATE", "ALLOCATION")
    assert "shares" in {change["field"] for change in event["changes"]}
    archived = await _mutate(
        run, "allocationArchive", {"id": _global_id("Allocation", allocation.pk)}, "allocation { archivedAt }"
    )
    assert archived["allocation"]["archivedAt"] is not None
    restored = await _mutate(
        run, "allocationRestore", {"id": _global_id("Allocation", allocation.pk)}, "allocation { archivedAt }"
    )
    assert restored["allocation"]["archivedAt"] is None


def _global_id(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


async def test_updates_keep_the_term_around_live_allocations(run: Run, make_world: WorldFactory) -> None:
    world = await _agreement_world(run, make_world)
    program = world.programs[1]  # a 2026 program
    values = _allocation(program.code, 2026, 5_000_000, CITY=5_000_000)
    assert (await _mutate(run, "allocationSet", values, "allocation { id }"))["userErrors"] == []
    body = await run('query A { agreement(code: "HANAM-GHOE-2025") { id } }')
    agreement_id = body["data"]["agreement"]["id"]
    shrink = {"id": agreement_id, "termEnd": "2025-12-31"}
    refused = await _mutate(run, "agreementUpdate", shrink, "agreement { termEnd }")
    assert refused["agreement"] is None
    assert refused["userErrors"] == [
        {
            "field": "termEnd",
            "message": "이 협약의 배정(2026년)이 협약 기간 밖이 됩니다. 먼저 그 배정을 보관하세요.",
            "code": "OUTSIDE_TERM",
        }
    ]
    longer = await _mutate(
        run, "agreementUpdate", {"id": agreement_id, "termEnd": "2027-12-31"}, "agreement { fiscalYears }"
    )
    assert longer["agreement"]["fiscalYears"] == [2025, 2026, 2027]
    body = await run('query S { supplementaryAgreement(code: "HANAM-GHOE-2025-S1") { id } }')
    supplement_id = body["data"]["supplementaryAgreement"]["id"]
    cleared = await _mutate(
        run,
        "supplementaryAgreementUpdate",
        {"id": supplement_id, "signedOn": None, "title": "2025–2026년 실무 협약"},
        "supplementaryAgreement { signedOn title }",
    )
    assert cleared["supplementaryAgreement"] == {"signedOn": None, "title": "2025–2026년 실무 협약"}
