"""A plain JSON POST skips strawberry's view and is answered byte for byte as the view answers it.

Every request below goes to the same app twice: once as it runs (plain JSON POSTs take the
short way, `api.json_post`), once with the short way turned off, so strawberry's view reads
it. Status, headers and body must be identical, for answers and for every kind of error.
"""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from api import json_post
from api.app import create_app
from api.response_media import GRAPHQL_RESPONSE
from models.enums import Role
from tests.api.api_kit import make_settings

SCHOOLS = "query Schools { schools { totalCount nodes { code name } } }"
CREATE = (
    'mutation Create { schoolCreate(input: {code: "Q1", name: "큐원초등학교", level: ELEMENTARY, '
    'district: "덕풍동"}) { school { code } userErrors { code message } } }'
)


def test_plain_posts_are_recognised() -> None:
    data = json_post.plain_json_post(
        "POST", "Application/JSON; charset=utf-8", b'{"query": "{ a }", "variables": {"n": 1}}'
    )
    assert data is not None and (data.query, data.variables, data.operation_name) == ("{ a }", {"n": 1}, None)
    assert json_post.plain_json_post("POST", "application/json", b'{"query": "{ a }", "operationName": "A"}')


@pytest.mark.parametrize(
    ("method", "content_type", "body"),
    [
        ("GET", "application/json", b'{"query": "{ a }"}'),
        ("POST", None, b'{"query": "{ a }"}'),
        ("POST", "application/graphql", b"{ a }"),
        ("POST", "text/plain", b'{"query": "{ a }"}'),
        ("POST", "application/jsonx", b'{"query": "{ a }"}'),
        ("POST", "application/json", b'{"query": "{ a }"'),
        ("POST", "application/json", b'[{"query": "{ a }"}]'),
        ("POST", "application/json", b'"{ a }"'),
        ("POST", "application/json", b'{"query": null}'),
        ("POST", "application/json", b'{"query": 5}'),
        ("POST", "application/json", b'{"query": "{ a }", "operationName": 5}'),
        ("POST", "application/json", b'{"query": "{ a }", "variables": [1]}'),
        ("POST", "application/json", b'{"query": "{ a }", "extensions": "x"}'),
    ],
)
def test_anything_else_is_left_to_strawberrys_view(
    method: str, content_type: str | None, body: bytes
) -> None:
    assert json_post.plain_json_post(method, content_type, body) is None


REQUESTS: list[tuple[dict[str, str], bytes]] = [
    ({}, b'{"query": "query Schools { schools(first: 2) { totalCount nodes { code name } } }"}'),
    ({"accept": GRAPHQL_RESPONSE}, b'{"query": "{ schools(first: 1) { totalCount } }"}'),
    ({}, b'{"query": "{ nope }"}'),  # fails validation
    ({"accept": GRAPHQL_RESPONSE}, b'{"query": "{"}'),  # does not parse: a 400 under the new type
    ({}, b'{"query": "query($n: Int!) { schools(first: $n) { totalCount } }", "variables": {"n": "x"}}'),
    ({}, b'{"query": "query A { schools { totalCount } } query B { programs { totalCount } }"}'),
    ({}, b'{"query": "query A { schools { totalCount } }", "operationName": "Z"}'),
    ({}, b'{"query": "subscription { changes { recordType } }"}'),  # over HTTP: refused
    ({}, b'{"query": "{ budgetLines { totalCount } }"}'),  # anonymous: forbidden
    ({}, b'{"query": "{ schools(first: 100000) { totalCount } }"}'),  # over the page cap
]


async def _answer(
    app: Starlette, headers: dict[str, str], body: bytes
) -> tuple[int, list[tuple[str, str]], bytes]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json", **headers}
        )
    # The request id differs on every request, whichever way it went.
    kept = [(k, v) for k, v in response.headers.multi_items() if k != "x-request-id"]
    return response.status_code, kept, response.content


@pytest.mark.parametrize(("headers", "body"), REQUESTS)
async def test_the_short_way_answers_as_strawberrys_view_does(
    db: str, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], body: bytes
) -> None:
    app = create_app(make_settings(db, response_cache=False), manage_database=False)
    taken: list[bool] = []
    real = json_post.plain_json_post

    def recorded(*args: object) -> object:
        data = real(*args)  # type: ignore[arg-type]
        taken.append(data is not None)
        return data

    monkeypatch.setattr(json_post, "plain_json_post", recorded)
    short = await _answer(app, headers, body)
    monkeypatch.setattr(json_post, "plain_json_post", lambda *args: None)
    assert taken == [True]  # the short way was taken the first time
    assert short == await _answer(app, headers, body)


async def test_a_mutation_by_the_short_way_writes_once(db: str, secrets: dict[Role, str]) -> None:
    app = create_app(make_settings(db, response_cache=False), manage_database=False)
    staff = {"authorization": f"Bearer {secrets[Role.STAFF]}"}
    body = httpx.Request("POST", "/", json={"query": CREATE}).content
    status, _, first = await _answer(app, staff, body)
    assert status == 200 and b'"code":"Q1"' in first and b'"userErrors":[]' in first
    status, _, again = await _answer(app, staff, body)  # the code is taken now: a userError, no second row
    assert status == 200 and b"DUPLICATE_CODE" in again
    _, _, listing = await _answer(app, {}, httpx.Request("POST", "/", json={"query": SCHOOLS}).content)
    assert listing.count(b'"code":"Q1"') == 1
