"""The edge: every response has its request id and security headers, Starlette's 500 page
included, and a shortcut answers before routing or passes the request on untouched."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.edge import Edge
from logs.request_id import HEADER


async def _broken(request: Request) -> Response:
    raise RuntimeError("a bug")


async def _echo(request: Request) -> Response:
    return PlainTextResponse((await request.body()).decode())


APP = Starlette(routes=[Route("/broken", _broken), Route("/echo", _echo, methods=["POST"])])


def _client(app: Edge) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_the_500_page_carries_the_request_id_and_the_security_headers() -> None:
    async with _client(Edge(APP)) as client:
        response = await client.get("/broken", headers={HEADER: "bug-report-1"})
    assert response.status_code == 500
    assert response.headers[HEADER] == "bug-report-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_a_shortcut_answers_with_the_headers_or_passes_the_request_on() -> None:
    seen: list[str] = []

    async def shortcut(scope: Scope, receive: Receive, send: Send) -> bool:
        seen.append(scope["path"])
        if scope["path"] != "/ready":
            return False
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})
        return True

    async with _client(Edge(APP, shortcut=shortcut)) as client:
        ready = await client.get("/ready")
        echoed = await client.post("/echo", content=b"untouched body")
    assert ready.text == "ok" and len(ready.headers[HEADER]) == 32
    assert ready.headers["referrer-policy"] == "no-referrer"
    assert echoed.text == "untouched body" and echoed.headers["x-frame-options"] == "DENY"
    assert seen == ["/ready", "/echo"]


async def test_a_header_the_route_set_wins() -> None:
    async def framed(request: Request) -> Response:
        return PlainTextResponse("", headers={"X-Frame-Options": "SAMEORIGIN"})

    async with _client(Edge(Starlette(routes=[Route("/framed", framed)]))) as client:
        response = await client.get("/framed")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
