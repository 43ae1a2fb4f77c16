"""The gateway over unmodified gspread: blocking calls in a thread, quota budget, retries."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import gspread
import orjson
from gspread.urls import DRIVE_FILES_API_V3_URL, SPREADSHEET_URL

from sync import a1, grid
from sync.errors import SpreadsheetUnreachable, TabNotFound
from sync.gateway.base import SheetsGateway
from sync.google_transport import credential_name
from sync.quota import DatabaseTokenBucket, RequestBudget
from sync.retry import RetryPolicy, is_rejected_unapplied, is_transient

T = TypeVar("T")
REQUEST_TIMEOUT_SECONDS = 30.0


class GspreadGateway(SheetsGateway):
    """Talks to Google (or the emulator) through ``gspread.Client.http_client``."""

    def __init__(
        self, client: gspread.Client, *, bucket: RequestBudget | None = None, retry: RetryPolicy | None = None
    ) -> None:
        self.client = client
        client.set_timeout(REQUEST_TIMEOUT_SECONDS)
        self.http = client.http_client
        # By default the budget is shared through the database with every process using this credential.
        self.bucket = bucket or DatabaseTokenBucket(credential_name(client))
        self.retry = retry or RetryPolicy()
        self.calls: Counter[str] = Counter()  # attempts per API method, retries included

    async def _call(
        self, description: str, fn: Callable[[], T], retry_if: Callable[[BaseException], bool] = is_transient
    ) -> T:
        async def once() -> T:
            await self.bucket.acquire()
            self.calls[description] += 1
            return await asyncio.to_thread(fn)

        return await self.retry.call(description, once, retry_if=retry_if)

    async def drive_version(self, key: str) -> str:
        def get() -> str:
            params: dict[str, Any] = {"fields": "version", "supportsAllDrives": True}
            response = self.http.request("get", f"{DRIVE_FILES_API_V3_URL}/{key}", params=params)
            return str(response.json()["version"])

        # Every cycle starts here, so this is where an unshared or deleted file is named.
        try:
            return await self._call("drive.files.get", get)
        except gspread.exceptions.APIError as error:
            if error.code in (403, 404):
                account = credential_name(self.client)
                raise SpreadsheetUnreachable(
                    f"spreadsheet {key} is not shared with {account} or does not exist "
                    f"(Google answered {error.code}): share it with {account} as an editor, "
                    "or fix its key in the mapping file"
                ) from error
            raise

    async def read(self, key: str, titles: list[str]) -> list[grid.TabGrid]:
        def get() -> list[grid.TabGrid]:
            params: dict[str, Any] = {"ranges": [a1.quote(t) for t in titles], "fields": grid.FIELDS}
            response = self.http.request("get", SPREADSHEET_URL % key, params=params)
            # orjson: a 10,000-row tab is several MB of JSON, parsed faster and smaller than json.
            return grid.parse(orjson.loads(response.content), titles)

        try:
            return await self._call("spreadsheets.get", get)
        except gspread.exceptions.APIError as error:
            if error.code == 400 and "Unable to parse range" in str(error):
                raise TabNotFound(f"spreadsheet {key}: a tab is missing ({error})") from error
            raise

    async def tab_titles(self, key: str) -> dict[int, str]:
        def get() -> dict[int, str]:
            params: dict[str, Any] = {"fields": "sheets.properties(sheetId,title)"}
            body = self.http.request("get", SPREADSHEET_URL % key, params=params).json()
            return {
                int(s["properties"].get("sheetId", 0)): s["properties"]["title"]
                for s in body.get("sheets", [])
            }

        return await self._call("spreadsheets.get", get)

    async def write_values(self, key: str, data: list[dict[str, Any]]) -> None:
        body = {"valueInputOption": "RAW", "data": data}
        url = SPREADSHEET_URL % key + "/values:batchUpdateByDataFilter"
        await self._call("values.batchUpdateByDataFilter", lambda: self.http.request("post", url, json=body))

    async def batch_update(self, key: str, requests: list[dict[str, Any]]) -> None:
        await self._call(
            "spreadsheets.batchUpdate",
            lambda: self.http.batch_update(key, {"requests": requests}),
            retry_if=is_rejected_unapplied,
        )
