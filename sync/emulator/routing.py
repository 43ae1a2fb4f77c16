"""API routes matched against the raw path: method, regex, Google's method name, quota kind."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from .emulator import Emulator

Params = dict[str, Any]


@dataclass
class Call:
    """One parsed API request handed to a handler."""

    emulator: Emulator
    request: Request
    match: re.Match[str]
    params: Params
    multi: dict[str, list[str]]
    body: Any
    user: str


Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True)
class ApiRoute:
    http_method: str
    pattern: re.Pattern[str]
    name: str
    kind: str  # "read", "write" (Sheets quota) or "drive" (no Sheets quota)
    handler: Handler


class RouteTable:
    """Routes in registration order; the dispatcher takes the first that matches."""

    def __init__(self) -> None:
        self.routes: list[ApiRoute] = []

    def route(self, http_method: str, pattern: str, name: str, kind: str) -> Callable[[Handler], Handler]:
        def register(function: Handler) -> Handler:
            self.routes.append(ApiRoute(http_method, re.compile(pattern + "$"), name, kind, function))
            return function

        return register


def json_response(body: Any, status: int = 200) -> Response:
    # orjson: a 10,000-row grid answer is megabytes, and json.dumps took a third of its time.
    try:
        content = orjson.dumps(body)
    except orjson.JSONEncodeError:  # e.g. an integer past 64 bits a caller wrote; json copes
        content = json.dumps(body, ensure_ascii=False).encode()
    return Response(content, status_code=status, media_type="application/json; charset=UTF-8")
