"""The few Sheets and Drive calls the sync makes, as an interface (encode/broadcaster shape)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class SheetsGateway(ABC):
    """One spreadsheet API surface; every call is one HTTP request (retries aside)."""

    @abstractmethod
    async def drive_version(self, key: str) -> str:
        """Drive's ``version`` of the file: the cheap change check of an idle cycle."""

    @abstractmethod
    async def sheet_ids(self, key: str) -> dict[str, int]:
        """Tab title -> sheetId (metadata; cached by callers)."""

    @abstractmethod
    async def batch_get(self, key: str, ranges: list[str]) -> list[tuple[str, list[list[Any]]]]:
        """``values:batchGet`` with FORMULA rendering and serial dates: (returned range, rows) per range.

        The returned range is clamped to the grid, so it also tells how many rows the tab has.
        """

    @abstractmethod
    async def values_batch_update(self, key: str, data: list[dict[str, Any]]) -> None:
        """``values:batchUpdate`` with valueInputOption RAW (text never becomes a formula)."""

    @abstractmethod
    async def batch_update(self, key: str, requests: list[dict[str, Any]]) -> None:
        """``spreadsheets:batchUpdate`` for notes, ID cells and row deletes."""
