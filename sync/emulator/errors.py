"""Google-shaped API errors.

Every error the emulator answers is one of these, rendered with exactly the body shape Google
uses (see the recorded bodies under fixtures/google-sheets/google_error_bodies.json), so client
code that inspects ``error.status`` or ``error.details`` behaves the same against both.
"""

from __future__ import annotations

from typing import Any

_HELP_LINK = "https://cloud.google.com/docs/quotas/help/request_increase"


class ApiError(Exception):
    """An error answered as JSON with an HTTP status and a Google error body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(str(body.get("error", {}).get("message", "")))
        self.status = status
        self.body = body


def _rpc(code: int, status: str, message: str, details: list[dict[str, Any]] | None = None) -> ApiError:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return ApiError(code, {"error": error})


def invalid_argument(message: str) -> ApiError:
    """400 INVALID_ARGUMENT with a plain message (the most common Sheets error)."""
    return _rpc(400, "INVALID_ARGUMENT", message)


def unparsable_range(range_text: str) -> ApiError:
    """400 for an A1 range that names no sheet or cannot be parsed."""
    return invalid_argument(f"Unable to parse range: {range_text}")


def bad_field_mask(path: str) -> ApiError:
    """400 for a ``fields`` mask naming an unknown path."""
    description = f"Error expanding 'fields' parameter. Cannot find matching fields for path '{path}'."
    return _rpc(
        400,
        "INVALID_ARGUMENT",
        "Request contains an invalid argument.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": path, "description": description}],
            }
        ],
    )


def invalid_value(field: str, type_name: str, value: str) -> ApiError:
    """400 for a JSON value of the wrong protobuf type (e.g. a string where a list belongs)."""
    message = f"Invalid value at '{field}' ({type_name}), {value}"
    return _rpc(
        400,
        "INVALID_ARGUMENT",
        message,
        [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": field, "description": message}],
            }
        ],
    )


def not_found() -> ApiError:
    """404 as the Sheets API words it."""
    return _rpc(404, "NOT_FOUND", "Requested entity was not found.")


def permission_denied() -> ApiError:
    """403 for a spreadsheet that exists but is not shared with the caller."""
    return _rpc(403, "PERMISSION_DENIED", "The caller does not have permission")


def unauthenticated() -> ApiError:
    """401 when no bearer token is sent at all."""
    return _rpc(
        401,
        "UNAUTHENTICATED",
        "Request is missing required authentication credential. Expected OAuth 2 access token, "
        "login cookie or other valid authentication credential. "
        "See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    )


def drive_not_found(file_id: str) -> ApiError:
    """404 as the Drive v3 API words it (the older ``errors`` list shape)."""
    message = f"File not found: {file_id}."
    return ApiError(
        404,
        {
            "error": {
                "errors": [
                    {
                        "domain": "global",
                        "reason": "notFound",
                        "message": message,
                        "locationType": "parameter",
                        "location": "fileId",
                    }
                ],
                "code": 404,
                "message": message,
            }
        },
    )


def drive_invalid(message: str, location: str = "q") -> ApiError:
    """400 as the Drive v3 API words it."""
    return ApiError(
        400,
        {
            "error": {
                "errors": [
                    {
                        "domain": "global",
                        "reason": "invalid",
                        "message": message,
                        "locationType": "parameter",
                        "location": location,
                    }
                ],
                "code": 400,
                "message": message,
            }
        },
    )


def quota_exceeded(*, write: bool, per_user: bool, limit: int, project_number: str) -> ApiError:
    """429 RESOURCE_EXHAUSTED, word for word the body Google sends for a per-minute bucket."""
    kind = "Write" if write else "Read"
    scope = "per user" if per_user else ""
    limit_label = f"{kind} requests per minute {scope}".strip()
    limit_name = f"{kind}RequestsPerMinutePer{'User' if per_user else 'Project'}"
    unit = "1/min/{project}/{user}" if per_user else "1/min/{project}"
    return _rpc(
        429,
        "RESOURCE_EXHAUSTED",
        f"Quota exceeded for quota metric '{kind} requests' and limit '{limit_label}' of service "
        f"'sheets.googleapis.com' for consumer 'project_number:{project_number}'.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "quota_limit_value": str(limit),
                    "service": "sheets.googleapis.com",
                    "consumer": f"projects/{project_number}",
                    "quota_unit": unit,
                    "quota_location": "global",
                    "quota_metric": f"sheets.googleapis.com/{kind.lower()}_requests",
                    "quota_limit": limit_name,
                },
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [{"description": "Request a higher quota limit.", "url": _HELP_LINK}],
            },
        ],
    )


def server_error(status: int = 500) -> ApiError:
    """5xx as Google words it (injected faults only)."""
    names = {
        500: ("INTERNAL", "Internal error encountered."),
        503: ("UNAVAILABLE", "The service is currently unavailable."),
    }
    name, message = names.get(status, ("INTERNAL", "Internal error encountered."))
    return _rpc(status, name, message)
