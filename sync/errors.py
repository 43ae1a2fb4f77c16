"""Errors of the sync package, written out once (httpx-style).

SyncError
 ├── SheetsConfigurationError   no usable Google credentials or emulator URL
 │    └── SpreadsheetUnreachable  the spreadsheet is not shared with the account (or is gone)
 ├── MappingError               the mapping file cannot be read or is invalid
 ├── TabNotFound                a tab the cycle reads is not in the spreadsheet (renamed or deleted)
 ├── SheetsUnavailable          the Sheets API kept failing (429, 5xx, timeouts) after retries
 │    └── SheetWriteUncertain   a structure write failed in a way that may have applied it
 └── LeaseLost                  another worker holds the spreadsheet's lease
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of every error the sync raises on purpose."""


class SheetsConfigurationError(SyncError):
    """Neither Google credentials nor an emulator URL is configured, or they are unusable."""


class SpreadsheetUnreachable(SheetsConfigurationError):
    """Google answers 403 or 404: the file is not shared with the service account, or is gone.

    Google does not say which (Drive answers 404 for a file it will not show), so the message
    names both and the account to share it with.
    """


class MappingError(SyncError):
    """The mapping file is missing or does not describe a valid mapping."""


class TabNotFound(SyncError):
    """Google could not find a tab by its title: it was renamed (followed by sheetId) or deleted."""


class SheetsUnavailable(SyncError):
    """The Sheets API did not answer successfully within the retry budget."""


class SheetWriteUncertain(SheetsUnavailable):
    """A non-idempotent write (rows inserted, anchors placed) failed after it may have been applied.

    It is never retried blindly: the next cycle reads the sheet and does only what is missing.
    """


class LeaseLost(SyncError):
    """Another worker holds the lease for this spreadsheet."""
