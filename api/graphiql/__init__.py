"""GraphiQL on `/graphql` from the application's own files: no CDN, so it works on a closed network.

Strawberry's page loads React, GraphiQL and the explorer plugin from unpkg; on a separated
network (망분리) it shows "Loading..." forever. This page loads the same pinned files (same
sha384 as strawberry's page) from `static/vendor/`, which `scripts/vendor-graphiql` fetches from
the npm registry, and its script from a file, as the CSP (`api.security_headers`) allows no
inline script. Imports nothing of the project.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/graphiql/static"


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template((Path(__file__).parent / "graphiql.html").read_text(encoding="utf-8"))


def page(request: Request) -> HTMLResponse:
    """The GraphiQL page, its assets under `STATIC_PATH` (below the app's root path, if mounted)."""
    static = request.scope.get("root_path", "") + STATIC_PATH
    return HTMLResponse(_template().substitute(static=static), headers={"Cache-Control": "no-cache"})


routes = [Mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="graphiql-static")]
