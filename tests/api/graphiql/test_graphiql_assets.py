"""The vendored GraphiQL files: the page, `VERSIONS` and the files agree; off with GRAPHIQL off."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest

from api.app import create_app
from api.graphiql import STATIC_DIR
from tests.api.api_kit import make_settings

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
VENDOR = STATIC_DIR / "vendor"


def _sha384(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


async def test_every_vendored_file_the_page_loads_is_served_with_its_pinned_hash(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/graphql", headers={"Accept": "text/html"})).text
    pinned = {
        path: integrity
        for path, integrity in re.findall(r'(?:src|href)="([^"]+/vendor/[^"]+)" integrity="([^"]+)"', page)
    }
    # Every line of VERSIONS (scripts/vendor-graphiql) is loaded by the page, with that hash.
    versions = [line.split() for line in (VENDOR / "VERSIONS").read_text().splitlines() if line[:1] != "#"]
    assert len(pinned) == len(versions) == 6
    assert sorted(pinned.values()) == sorted(sha for _, _, sha in versions)
    for path, integrity in pinned.items():
        response = await client.get(path)
        assert response.status_code == 200, path
        assert _sha384(response.content) == integrity, path
        assert response.headers["x-content-type-options"] == "nosniff"
    for folder in ("react", "react-dom", "graphiql", "plugin-explorer"):
        assert "MIT" in (VENDOR / folder / "LICENSE").read_text(), folder


async def test_no_graphiql_assets_when_graphiql_is_off(db: str) -> None:
    app = create_app(make_settings(db, graphiql=False), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as client:
        response = await client.get("/graphiql/static/vendor/graphiql/graphiql.min.js")
    assert response.status_code == 404
