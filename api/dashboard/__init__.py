"""`/dashboard`: the partner offices' live page (Korean) and its own assets; imports nothing of the project.

Everything the page needs ships in `static/` (hand-written SVG charts, a ~70-line
graphql-transport-ws client, CSS): no CDN, so it works on machines that are offline. The page reads
`budgetSummary` over HTTP, then keeps it current over the `/graphql` WebSocket. The app's
`api.security_headers` gives it a CSP of 'self' only, so a stray CDN reference fails loudly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def _page() -> str:
    return (STATIC_DIR / "index.html").read_text(encoding="utf-8")


async def dashboard_page(request: Request) -> HTMLResponse:
    """The page itself; data arrives from `/graphql` once it has loaded."""
    return HTMLResponse(_page(), headers={"Cache-Control": "no-cache"})


routes = [
    Route("/dashboard", dashboard_page, methods=["GET"]),
    Mount("/dashboard/static", StaticFiles(directory=STATIC_DIR), name="dashboard-static"),
]
