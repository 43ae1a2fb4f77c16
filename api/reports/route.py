"""`GET /reports/<summary>.xlsx`: a summary as a workbook, with the API's own token rule.

    GET /reports/budget-summary.xlsx?groupBy=PROGRAM,FUNDER&unit=천원&fiscalYears=2025
    Authorization: Bearer <token>        (optional: without it, what anonymous callers may see)

Parameters: `groupBy` (comma-separated or repeated), `unit` (원, default, or 천원), and any field
of the summary's filter input by its GraphQL name. Errors are JSON shaped like GraphQL errors with
a Korean message: 400 bad input, 401 a wrong or revoked token, 403 a summary the token may not read.
"""

from __future__ import annotations

from collections import defaultdict

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.auth import InvalidCredentials, authenticate
from api.reports.build import XLSX_MEDIA_TYPE, build_report
from api.reports.errors import ReportError, ReportUnauthorized
from api.reports.filename import content_disposition
from models.actor import Actor

RESERVED_PARAMETERS = ("groupBy", "unit")


async def report_download(request: Request) -> Response:
    try:
        built = await build_report(
            request.app.state.schema,
            request.app.state.settings,
            slug=request.path_params["slug"],
            group_by=request.query_params.getlist("groupBy"),
            unit=request.query_params.get("unit"),
            conditions=_conditions(request),
            viewer=await _viewer(request),
        )
    except ReportError as error:
        return error_response(error)
    return Response(
        built.content,
        media_type=XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": content_disposition(built.filename, built.ascii_filename),
            # Figures as of one moment, for one caller: never kept by a shared cache.
            "Cache-Control": "no-store",
        },
    )


async def _viewer(request: Request) -> Actor | None:
    try:
        return await authenticate(request.headers.get("authorization"))
    except InvalidCredentials as error:
        raise ReportUnauthorized(error.message) from None


def _conditions(request: Request) -> dict[str, list[str]]:
    conditions: dict[str, list[str]] = defaultdict(list)
    for name, value in request.query_params.multi_items():
        if name not in RESERVED_PARAMETERS:
            conditions[name].append(value)
    return conditions


def error_response(error: ReportError) -> Response:
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
    headers = {"WWW-Authenticate": 'Bearer realm="eduhub"'} if error.status == 401 else None
    return Response(
        orjson.dumps(body), status_code=error.status, media_type="application/json", headers=headers
    )


routes = [Route("/reports/{slug}.xlsx", report_download, methods=["GET"], name="report")]
