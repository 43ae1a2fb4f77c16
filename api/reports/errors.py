"""Every error a report raises, written out once; each knows its HTTP status and a Korean message.

ReportError                 (EduhubError: the CLI prints it as one line)
 ├── BadReportRequest       400  unknown report, grouping, unit or condition
 ├── ReportUnauthorized     401  a token was given and names no active token
 ├── ReportForbidden        403  the summary needs more than the caller's token allows
 └── ReportFailed           500  the server could not answer (a bug or an outage; logged)
"""

from __future__ import annotations

from models.errors import EduhubError


class ReportError(EduhubError):
    """A report that cannot be made: nothing is written, the caller reads `message`."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadReportRequest(ReportError):
    """The request names something the summary does not have."""


class ReportUnauthorized(ReportError):
    status = 401
    code = "UNAUTHENTICATED"


class ReportForbidden(ReportError):
    status = 403
    code = "FORBIDDEN"


class ReportFailed(ReportError):
    status = 500
    code = "INTERNAL_SERVER_ERROR"
