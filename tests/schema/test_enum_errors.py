"""A value no enum has: graphql-core's error keeps its text and gains a Korean explanation."""

from __future__ import annotations

from graphql import GraphQLError

from models.change_event import ChangeEvent
from schema.enum_errors import korean_message
from tests.schema.schema_kit import Run

BY_LITERAL = (
    'mutation { budgetLineUpdate(input: {id: "QnVkZ2V0TGluZTox", stage: FINISHED}) { userErrors { code } } }'
)
BY_VARIABLE = (
    "mutation($input: BudgetLineUpdateInput!) { budgetLineUpdate(input: $input) { userErrors { code } } }"
)
STAGE_CHOICES = (
    "PLANNED(계획), AGREED(확정), DISBURSED(교부), EXECUTED(집행), SETTLED(정산) 중 하나여야 합니다."
)


async def test_a_wrong_stage_as_a_literal_is_explained_in_korean_and_writes_nothing(run: Run) -> None:
    body = await run(BY_LITERAL, viewer="staff")
    [error] = body["errors"]
    assert "FINISHED" in error["message"]  # the developer's English text stays
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["koreanMessage"] == f"단계 'FINISHED'은(는) 없는 값입니다. {STAGE_CHOICES}"
    assert await ChangeEvent.all().count() == 0


async def test_a_wrong_funder_in_variables_is_explained_in_korean(run: Run) -> None:
    body = await run(BY_VARIABLE, {"input": {"id": "QnVkZ2V0TGluZTox", "funder": "시청"}}, viewer="staff")
    [error] = body["errors"]
    assert error["extensions"]["koreanMessage"].startswith("재원 '시청'은(는) 없는 값입니다. CITY(하남시), ")
    assert await ChangeEvent.all().count() == 0


async def test_a_korean_label_where_the_enum_name_belongs_is_explained(run: Run) -> None:
    query = BY_LITERAL.replace("stage: FINISHED", 'stage: "계획"')
    [error] = (await run(query, viewer="staff"))["errors"]
    assert error["extensions"]["koreanMessage"] == f"단계 '계획'은(는) 없는 값입니다. {STAGE_CHOICES}"


async def test_other_errors_get_no_korean_explanation(run: Run) -> None:
    body = await run("{ schools { nodes { nope } } }")
    assert "koreanMessage" not in (body["errors"][0].get("extensions") or {})


def test_only_enums_people_fill_in_are_explained() -> None:
    assert korean_message(GraphQLError("Value 'X' does not exist in 'Role' enum.")) is None
    assert korean_message(GraphQLError("Cannot query field 'x' on type 'Query'.")) is None
    message = korean_message(GraphQLError("Value 'MID' does not exist in 'SchoolLevel' enum."))
    assert message is not None and message.startswith(
        "학교급 'MID'은(는) 없는 값입니다. ELEMENTARY(초등학교)"
    )
