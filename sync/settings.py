"""The settings the sync worker reads, as a protocol: the composition root passes its own settings in.

`api.settings.Settings` satisfies it; the worker never imports the application's settings.
"""

from __future__ import annotations

from typing import Protocol


class WorkerSettings(Protocol):
    """Where the sheets are (Google or an emulator), how they map, and how often to sync."""

    @property
    def google_application_credentials(self) -> str | None: ...
    @property
    def sheets_api_url(self) -> str | None: ...
    @property
    def sync_mapping_file(self) -> str | None: ...
    @property
    def sync_interval_seconds(self) -> float: ...
