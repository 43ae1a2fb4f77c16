"""Reports partner offices send upward: any summary query as an XLSX workbook.

`api.reports.build.build_report` does the work for the route (`api.reports.route`,
`/reports/<summary>.xlsx`) and for `eduhub report`; the summaries on offer are
`api.reports.catalog.REPORTS`. This package imports nothing itself, so the CLI can list the
reports without loading the schema.
"""
