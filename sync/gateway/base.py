"""The few Sheets and Drive calls the sync makes, as an interface (encode/broadcaster shape)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from sync.grid import TabGrid


class SheetsGateway(ABC):
    """One spreadsheet API surface; every call is one HTTP request (retries aside)."""

    @abstractmethod
    async def drive_version(self, key: str) -> str:
        """Drive's ``version`` of the file: the cheap change check of an idle cycle."""

    @abstractmethod
    async def read(self, key: str, titles: list[str]) -> list[TabGrid]:
        """One ``spreadsheets.get`` of the tabs: sheet ids, grid sizes, entered values, notes, anchors.

        Raises :class:`sync.errors.TabNotFound` when a title names no tab.
        """

    @abstractmethod
    async def tab_titles(self, key: str) -> dict[int, str]:
        """sheetId -> title of every tab (one small ``spreadsheets.get``, only after a rename)."""

    @abstractmethod
    async def write_values(self, key: str, data: list[dict[str, Any]]) -> None:
        """``values:batchUpdateByDataFilter`` RAW: cells addressed by row anchor. Idempotent, so retried."""

    @abstractmethod
    async def batch_update(self, key: str, requests: list[dict[str, Any]]) -> None:
        """``spreadsheets:batchUpdate`` (rows appended, anchors, notes, worker-owned tabs).

        Not idempotent: resent only after an answer that proves it was not applied (429).
        """
