"""Every transport error of /graphql is GraphQL-shaped JSON with its 4xx status (issue 15, item 1).

Mirrors the table in `api/http_errors.py` line by line: bodies that are JSON but no object, a
`query` or `operationName` of the wrong type, an operation that cannot be chosen, bad JSON,
wrong content types, methods, and bodies over the byte limit, which is enforced before parsing.
Then the same against a real uvicorn: no 500, no text/plain, no reset connection.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from tests.api.api_kit import make_settings, serving

TWO_OPERATIONS = "query A { __typename } query B { schools { totalCount } }"
JSON = "application/json"


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    # The transport refuses before any SQL: one engine is enough here.
    shutil.copy(sqlite_template, tmp_path / "eduhub.sqlite3")
    return f"sqlite://{tmp_path / 'eduhub.sqlite3'}"


def _refusal(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith(JSON), response.headers
    body = response.json()
    assert set(body) == {"errors"}, body  # a request error carries no `data`
    (error,) = body["errors"]
    assert error["extensions"] == {"code": code}, body
    message: str = error["message"]
    assert message.strip()
    return message


POSTS: list[tuple[str, bytes, str | None, int, str]] = [
    ("null", b"null", JSON, 400, "BAD_REQUEST"),
    ("string", b'"x"', JSON, 400, "BAD_REQUEST"),
    ("number", b"5", JSON, 400, "BAD_REQUEST"),
    ("true", b" true", JSON, 400, "BAD_REQUEST"),
    ("array-no-batching", b'[{"query": "{ __typename }"}]', JSON, 400, "BAD_REQUEST"),
    ("query-number", b'{"query": 5}', JSON, 400, "BAD_REQUEST"),
    ("query-object", b'{"query": {"a": 1}}', JSON, 400, "BAD_REQUEST"),
    ("query-missing", b"{}", JSON, 400, "BAD_REQUEST"),
    ("variables-string", b'{"query": "{ __typename }", "variables": "x"}', JSON, 400, "BAD_REQUEST"),
    ("extensions-list", b'{"query": "{ __typename }", "extensions": [1]}', JSON, 400, "BAD_REQUEST"),
    ("operation-name-number", b'{"query": "{ __typename }", "operationName": 5}', JSON, 400, "BAD_REQUEST"),
    ("bad-json", b'{"query": ', JSON, 400, "BAD_REQUEST"),
    ("bad-utf8", b'{"query": "\xff"}', JSON, 400, "BAD_REQUEST"),
    ("text-plain", b'{"query": "{ __typename }"}', "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("no-content-type", b'{"query": "{ __typename }"}', None, 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("form", b"query=%7B__typename%7D", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("multipart", b"--x--", "multipart/form-data; boundary=x", 415, "UNSUPPORTED_MEDIA_TYPE"),
    (
        "unknown-operation-name",
        b'{"query": "query A { __typename }", "operationName": "C"}',
        JSON,
        400,
        "OPERATION_RESOLUTION_FAILURE",
    ),
    # Subscriptions run over WebSocket; over HTTP one was started and failed ("Unexpected error.").
    ("subscription", b'{"query": "subscription { syncStatus { openIssues } }"}', JSON, 400, "BAD_REQUEST"),
    (
        "missing-operation-name",
        b'{"query": "' + TWO_OPERATIONS.encode() + b'"}',
        JSON,
        400,
        "OPERATION_RESOLUTION_FAILURE",
    ),
]


@pytest.fixture
async def client(db: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(db, max_request_bytes=4096), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"), [p[1:] for p in POSTS], ids=[p[0] for p in POSTS]
)
async def test_a_post_graphql_cannot_start_gets_a_graphql_error(
    client: httpx.AsyncClient, body: bytes, content_type: str | None, status: int, code: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    _refusal(await client.post("/graphql", content=body, headers=headers), status, code)


async def test_the_operation_name_chooses_among_several(client: httpx.AsyncClient) -> None:
    chosen = await client.post("/graphql", json={"query": TWO_OPERATIONS, "operationName": "B"})
    assert chosen.json() == {"data": {"schools": {"totalCount": 0}}}
    # Over GET as well: without a name, strawberry would have run (and type-checked) the first only.
    message = _refusal(
        await client.get("/graphql", params={"query": TWO_OPERATIONS}), 400, "OPERATION_RESOLUTION_FAILURE"
    )
    assert "operationName" in message


@pytest.mark.parametrize(
    ("method", "params", "status", "code", "allow"),
    [
        (
            "GET",
            {"query": 'mutation { schoolArchive(input: {code: "X"}) { __typename } }'},
            405,
            "METHOD_NOT_ALLOWED",
            "POST",
        ),
        ("GET", {"query": "{ __typename }", "variables": "{"}, 400, "BAD_REQUEST", None),
        ("GET", {"query": "subscription { syncStatus { openIssues } }"}, 400, "BAD_REQUEST", None),
        ("GET", {"query": "{ __typename }", "operationName": "X"}, 400, "OPERATION_RESOLUTION_FAILURE", None),
        ("PUT", {}, 405, "METHOD_NOT_ALLOWED", "GET, POST"),
        ("DELETE", {}, 405, "METHOD_NOT_ALLOWED", "GET, POST"),
    ],
    ids=[
        "mutation-over-get",
        "get-bad-variables",
        "get-subscription",
        "get-unknown-operation",
        "put",
        "delete",
    ],
)
async def test_methods_and_query_strings(
    client: httpx.AsyncClient, method: str, params: dict[str, str], status: int, code: str, allow: str | None
) -> None:
    response = await client.request(method, "/graphql", params=params, headers={"accept": JSON})
    _refusal(response, status, code)
    assert response.headers.get("allow") == allow


async def test_graphiql_switched_off_is_a_json_404(db: str) -> None:
    app = create_app(make_settings(db, graphiql=False), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        _refusal(await client.get("/graphql", headers={"accept": "text/html"}), 404, "NOT_FOUND")


def _padded(size: int) -> bytes:
    """A valid operation padded with JSON whitespace to exactly `size` bytes."""
    body = b'{"query": "{ __typename }"}'
    return body[:-1] + b" " * (size - len(body)) + b"}"


async def test_the_byte_limit_holds_before_parsing(client: httpx.AsyncClient) -> None:
    at_limit = await client.post("/graphql", content=_padded(4096), headers={"content-type": JSON})
    assert at_limit.json() == {"data": {"__typename": "Query"}}
    message = _refusal(
        await client.post("/graphql", content=_padded(4097), headers={"content-type": JSON}),
        413,
        "PAYLOAD_TOO_LARGE",
    )
    assert "4,096" in message

    # Without a Content-Length (chunked), the body is counted as it arrives.
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 1000

    response = await client.post("/graphql", content=chunks(), headers={"content-type": JSON})
    _refusal(response, 413, "PAYLOAD_TOO_LARGE")
    # Refused before JSON parsing: this body is not even JSON.
    _refusal(
        await client.post("/graphql", content=b"x" * 5000, headers={"content-type": JSON}),
        413,
        "PAYLOAD_TOO_LARGE",
    )


async def test_a_body_in_many_chunks_is_read_whole(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for part in (b'{"query": ', b"", b'"{ __type', b'name }"}'):
            yield part

    response = await client.post("/graphql", content=chunks(), headers={"content-type": JSON})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_real_server_answers_every_case_without_a_500_or_a_reset(db: str) -> None:
    app = create_app(make_settings(db), manage_database=False)  # the default limit: 1 MiB
    cases = [(body, content_type, status, code) for _, body, content_type, status, code in POSTS]
    # 64 MiB, as the issue sent: refused from its Content-Length, and the connection survives.
    cases.append((b" " * (64 * 2**20), JSON, 413, "PAYLOAD_TOO_LARGE"))
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=60) as client:
        for body, content_type, status, code in cases:
            headers = {"content-type": content_type} if content_type else {}
            _refusal(await client.post("/graphql", content=body, headers=headers), status, code)
        still = await client.post("/graphql", json={"query": "{ __typename }"})
        assert still.json() == {"data": {"__typename": "Query"}}
