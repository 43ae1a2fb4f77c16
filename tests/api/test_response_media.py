"""application/graphql-response+json when asked for: request errors are 400 without data;
application/json (and */*, and no Accept) answers as before."""

from __future__ import annotations

import httpx
import pytest
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from api.app import create_app
from api.response_media import GRAPHQL_RESPONSE, is_request_error, prefers_graphql_response
from tests.api.api_kit import make_settings

NEW = GRAPHQL_RESPONSE


@pytest.mark.parametrize(
    ("accept", "prefers"),
    [
        (None, False),
        ("*/*", False),
        ("application/json", False),
        (NEW, True),
        (f"{NEW}, application/json", True),
        (f"{NEW};charset=utf-8, application/json;q=0.9", True),
        (f"{NEW};q=0.5, application/json", False),
        (f"{NEW};q=0", False),
        (f"{NEW};q=nonsense", False),
    ],
)
def test_accept_negotiation(accept: str | None, prefers: bool) -> None:
    assert prefers_graphql_response(accept) is prefers


async def _post(db: str, body: dict[str, object], accept: str | None) -> httpx.Response:
    app = create_app(make_settings(db), manage_database=False)
    headers = {"accept": accept} if accept else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        return await client.post("/graphql", json=body, headers=headers)


BAD_REQUESTS = [
    {"query": "{"},  # does not parse
    {"query": "{ nope }"},  # does not validate
    {"query": "query($n: Int!) { schools(first: $n) { totalCount } }", "variables": {"n": "x"}},  # coercion
]


@pytest.mark.parametrize("body", BAD_REQUESTS)
async def test_a_request_error_is_a_400_without_data_under_the_new_type(
    db: str, body: dict[str, object]
) -> None:
    response = await _post(db, body, NEW)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(NEW)
    assert "data" not in response.json() and response.json()["errors"]


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
@pytest.mark.parametrize("body", BAD_REQUESTS)
async def test_legacy_answers_are_unchanged(db: str, body: dict[str, object], accept: str | None) -> None:
    response = await _post(db, body, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["data"] is None and response.json()["errors"]


async def test_an_execution_error_is_still_a_200_with_data(db: str) -> None:
    # Anonymous callers may not read budget lines: a field error, with a path, after execution began.
    response = await _post(db, {"query": "{ schools { totalCount } budgetLines { totalCount } }"}, NEW)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(NEW)
    assert response.json()["errors"][0]["path"] == ["budgetLines"]


def test_an_execution_error_without_data_is_not_a_request_error() -> None:
    field_error = GraphQLError("boom", path=["schools"])
    assert not is_request_error(ExecutionResult(data=None, errors=[field_error]))
    assert is_request_error(
        ExecutionResult(data=None, errors=[GraphQLError("Variable '$n' has invalid value")])
    )
