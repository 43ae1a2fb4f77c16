"""Reports partner offices send upward: any summary query as an XLSX workbook (`/reports/...`).

`api.reports.build.build_report` does the work for the route here and for `eduhub report`; the
summaries on offer are `api.reports.catalog.REPORTS`.
"""

from __future__ import annotations

from starlette.routing import Route

from api.reports.route import report_download

routes = [Route("/reports/{slug}.xlsx", report_download, methods=["GET"], name="report")]
