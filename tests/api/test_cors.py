"""CORS on /graphql: only the configured origins, none by default."""

from __future__ import annotations

import httpx

from api.app import create_app
from tests.api.api_kit import make_settings

PARTNER_ORIGIN = "https://partner.hanam.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type",
}


async def _preflight(db: str, origin: str, allowed: list[str]) -> httpx.Response:
    app = create_app(make_settings(db, cors_allowed_origins=allowed), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        return await client.options("/graphql", headers={"Origin": origin, **PREFLIGHT})


async def test_configured_origin_may_call_with_a_token(db: str) -> None:
    response = await _preflight(db, PARTNER_ORIGIN, [PARTNER_ORIGIN])
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PARTNER_ORIGIN
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


async def test_other_origins_are_refused(db: str) -> None:
    response = await _preflight(db, "https://evil.example", [PARTNER_ORIGIN])
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_no_origins_by_default(db: str) -> None:
    response = await _preflight(db, PARTNER_ORIGIN, [])
    assert "access-control-allow-origin" not in response.headers
    assert response.status_code != 200


async def test_simple_request_from_allowed_origin_carries_the_header(db: str) -> None:
    app = create_app(make_settings(db, cors_allowed_origins=[PARTNER_ORIGIN]), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        response = await client.post(
            "/graphql", json={"query": "{ schools { totalCount } }"}, headers={"Origin": PARTNER_ORIGIN}
        )
    assert response.json() == {"data": {"schools": {"totalCount": 0}}}
    assert response.headers["access-control-allow-origin"] == PARTNER_ORIGIN
