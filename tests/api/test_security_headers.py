"""Security headers on every page: a CSP without inline script, nosniff, referrer, framing."""

from __future__ import annotations

import httpx
import pytest

from api.security_headers import CONTENT_SECURITY_POLICY

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/dashboard", {}),
        ("/graphql", {"Accept": "text/html"}),  # GraphiQL
        ("/graphql?query=%7B__typename%7D", {"Accept": "application/json"}),
        ("/healthz", {}),
        ("/dashboard/static/app.js", {}),
        ("/graphiql/static/graphiql-page.js", {}),
        ("/no-such-page", {}),
    ],
)
async def test_every_page_has_the_security_headers(
    client: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> None:
    response = await client.get(path, headers=headers)
    assert response.status_code in (200, 404)
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, name
    policy = _directives(response.headers["content-security-policy"])
    # No inline script and nothing from another host: 'self' alone, never 'unsafe-inline'/'unsafe-eval'.
    assert policy.get("script-src", policy.get("default-src")) == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


async def test_the_graphiql_page_is_the_local_one_with_no_inline_script(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.text
    assert "unpkg.com" not in page and "https://" not in page
    assert "<script>" not in page and "<style>" not in page
    assert 'src="/graphiql/static/vendor/graphiql/graphiql.min.js"' in page


async def test_the_default_policy_is_the_documented_one() -> None:
    policy = _directives(CONTENT_SECURITY_POLICY)
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert policy["connect-src"] == ["'self'", "ws:", "wss:"]
