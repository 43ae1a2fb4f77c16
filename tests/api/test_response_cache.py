"""The response cache answers a repeated read without running it, and never with a stale figure:
any committed write (a mutation, a service write as the sheet sync makes, another app instance's
write) is visible to the very next read; sync state, errors and other viewers are never shared."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from api.app import create_app
from models.actor import SHEET_SYNC_ACTOR
from models.enums import Role
from models.school import School
from models.services import schools
from models.services.write_scope import write_scope
from models.sync_state import SyncIssue
from sync.emulator import SAMPLE_KEY
from tests.api.api_kit import make_settings
from tests.sync.conftest import add_school

READ = {"query": '{ school(code: "7530001") { students } }'}


async def _students(app: Starlette, secret: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        response = await client.post("/graphql", json=READ, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["data"]["school"]["students"])


async def _sneak(students: int) -> None:
    """Change the row behind every service's back (no outbox event): only a hit still says the old."""
    await School.filter(code="7530001").update(students=students)


async def test_a_repeated_read_is_answered_from_the_cache(db: str) -> None:
    await add_school(students=100)
    app = create_app(make_settings(db), manage_database=False)
    assert await _students(app) == 100
    await _sneak(999)  # not a supported write: it proves the second answer did not run the query
    assert await _students(app) == 100
    uncached = create_app(make_settings(db, response_cache=False), manage_database=False)
    assert await _students(uncached) == 999


async def test_a_committed_write_is_read_at_once_in_this_and_every_other_app(db: str) -> None:
    await add_school(students=100)
    this, other = (create_app(make_settings(db), manage_database=False) for _ in range(2))
    assert await _students(this) == 100 and await _students(other) == 100
    school = await School.get(code="7530001")
    # The sheet sync writes through the same service layer, as SHEET_SYNC.
    async with write_scope(SHEET_SYNC_ACTOR) as scope:
        await schools.update(scope, school, {"students": 321})
    assert await _students(this) == 321 and await _students(other) == 321


async def test_a_mutation_is_read_back_by_its_writer(db: str, secrets: dict[Role, str]) -> None:
    await add_school(students=100)
    app = create_app(make_settings(db), manage_database=False)
    staff = secrets[Role.STAFF]
    assert await _students(app, staff) == 100
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        found = await client.post("/graphql", json={"query": '{ school(code: "7530001") { id } }'})
        mutation = {
            "query": "mutation($i: SchoolUpdateInput!) "
            "{ schoolUpdate(input: $i) { userErrors { message } } }",
            "variables": {"i": {"id": found.json()["data"]["school"]["id"], "students": 55}},
        }
        answer = await client.post("/graphql", json=mutation, headers={"Authorization": f"Bearer {staff}"})
    assert answer.json()["data"]["schoolUpdate"]["userErrors"] == []
    assert await _students(app, staff) == 55


async def test_viewers_do_not_share_answers(db: str, secrets: dict[Role, str]) -> None:
    app = create_app(make_settings(db), manage_database=False)
    lines = {"query": "{ budgetLines { totalCount } }"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        partner = await client.post(
            "/graphql", json=lines, headers={"Authorization": f"Bearer {secrets[Role.PARTNER]}"}
        )
        anonymous = await client.post("/graphql", json=lines)
    assert partner.json()["data"]["budgetLines"]["totalCount"] == 0
    assert anonymous.json()["errors"]  # anonymous callers may not read budget lines, cached or not


async def test_sync_state_is_never_cached(db: str) -> None:
    app = create_app(make_settings(db), manage_database=False)
    status = {"query": "{ syncStatus { openIssues } }"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        before = (await client.post("/graphql", json=status)).json()["data"]["syncStatus"]["openIssues"]
        # The worker records issues without an outbox event: the next answer must still show it.
        await SyncIssue.create(
            spreadsheet_key=SAMPLE_KEY, tab="학교", code="BAD_CELL", problem="숫자가 아닙니다"
        )
        after = (await client.post("/graphql", json=status)).json()["data"]["syncStatus"]["openIssues"]
    assert after == before + 1


async def test_without_a_database_a_read_gets_the_usual_graphql_error_not_a_500() -> None:
    # No Tortoise at all (no `db` fixture): the clock cannot be read, the request still runs.
    app = create_app(make_settings("sqlite://:memory:"), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        response = await client.post("/graphql", json=READ)
    assert response.status_code == 200  # it was a 500 in text/plain while the clock read raised
    assert response.json()["errors"] and response.json()["data"] == {"school": None}


async def test_a_hit_carries_the_same_bytes_and_headers_as_the_answer_it_repeats(db: str) -> None:
    """A hit is sent straight as ASGI messages: it must still look exactly like the run it
    repeats (media type asked for, length, security headers, a request id of its own)."""
    await add_school(students=100)
    app = create_app(make_settings(db), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        for students, accept in ((100, "application/json"), (200, "application/graphql-response+json")):
            await School.filter(code="7530001").update(students=students)
            first = await client.post("/graphql", json=READ, headers={"Accept": accept})
            assert first.json()["data"]["school"]["students"] == students
            await _sneak(students + 1)  # behind the services' back: only a hit keeps saying `students`
            hit = await client.post("/graphql", json=READ, headers={"Accept": accept})
            assert hit.status_code == 200 and hit.content == first.content
            assert hit.headers["content-type"] == first.headers["content-type"]
            assert hit.headers["content-type"].startswith(accept)
            assert hit.headers["content-length"] == str(len(hit.content))
            assert hit.headers["content-security-policy"] == first.headers["content-security-policy"]
            assert (
                hit.headers["x-request-id"] and hit.headers["x-request-id"] != first.headers["x-request-id"]
            )
            again = await client.post("/graphql", json=READ, headers={"Accept": accept})
            # Each hit gets its own headers: none carried over from an earlier hit, none twice.
            assert again.content == first.content
            earlier = (first.headers["x-request-id"], hit.headers["x-request-id"])
            assert again.headers["x-request-id"] not in earlier
            assert all(len(again.headers.get_list(name)) == 1 for name in again.headers)


async def test_a_hit_never_carries_headers_another_hit_was_given(db: str) -> None:
    """Middleware adds headers to a hit in place (CORS for one origin): the next hit, asked
    without an origin, must not carry the first caller's Access-Control-Allow-Origin."""
    await add_school(students=100)
    partner = "https://partner.example.org"
    app = create_app(make_settings(db, cors_allowed_origins=[partner]), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        await client.post("/graphql", json=READ)  # run and kept
        from_partner = await client.post("/graphql", json=READ, headers={"Origin": partner})
        plain = await client.post("/graphql", json=READ)
    assert from_partner.headers["access-control-allow-origin"] == partner
    assert "access-control-allow-origin" not in plain.headers
    assert plain.content == from_partner.content
