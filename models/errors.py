"""Every error the data layer raises, written out once (as httpx does in `_exceptions.py`).

EduhubError
 ├── ConfigurationError      settings or environment unusable
 ├── RecordNotFound          a code or id that names no record
 └── ValidationFailed        one or more business rules refused a write (carries UserErrors)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    UNKNOWN_SCHOOL = "UNKNOWN_SCHOOL"
    UNKNOWN_PROGRAM = "UNKNOWN_PROGRAM"
    NEGATIVE_AMOUNT = "NEGATIVE_AMOUNT"
    EXECUTED_OVER_ALLOCATED = "EXECUTED_OVER_ALLOCATED"
    NOT_FOUND = "NOT_FOUND"
    ARCHIVED = "ARCHIVED"
    IN_USE = "IN_USE"
    ALREADY_REVERTED = "ALREADY_REVERTED"
    CYCLE_RUNNING = "CYCLE_RUNNING"
    DISBURSED_OVER_BUDGET = "DISBURSED_OVER_BUDGET"
    CARRIED_OVER_UNSPENT = "CARRIED_OVER_UNSPENT"
    STAGE_NOT_ALLOWED = "STAGE_NOT_ALLOWED"
    SETTLED = "SETTLED"
    YEAR_CLOSED = "YEAR_CLOSED"
    UNKNOWN_AGREEMENT = "UNKNOWN_AGREEMENT"
    OUTSIDE_TERM = "OUTSIDE_TERM"
    SHARE_SUM_MISMATCH = "SHARE_SUM_MISMATCH"
    DUPLICATE = "DUPLICATE"


@dataclass(frozen=True, slots=True)
class UserError:
    """A business error a person can fix: which field, what is wrong (Korean), a stable code."""

    field: str | None
    message: str
    code: ErrorCode


class EduhubError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigurationError(EduhubError):
    """The settings or the environment cannot work (bad URL, unsafe production default)."""


class RecordNotFound(EduhubError):
    def __init__(self, record_type: str, key: object) -> None:
        super().__init__(f"{record_type} {key!r} not found")
        self.record_type = record_type
        self.key = key


class ValidationFailed(EduhubError):
    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors
