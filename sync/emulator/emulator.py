"""The :class:`Emulator` object: the store, quotas, faults and request log behind one facade that
tests, the CLI and the HTTP app share. It knows nothing of HTTP: ``app.build_app(emulator)``
builds the ASGI application around it."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from . import defaults, input_parsing, values
from .faults import Faults
from .quota import QuotaBuckets, QuotaLimits
from .store import Sheet, Spreadsheet, Store, new_file_id


class Emulator:
    """A local Google Sheets + Drive; ``build_app(emulator)`` serves it over HTTP."""

    def __init__(self, *, persist_path: str | None = None, quota: QuotaLimits | None = None) -> None:
        self.store = Store(persist_path)
        self.quota = QuotaBuckets(quota)
        self.faults = Faults()
        self._log_lock = threading.Lock()
        self.request_log: list[tuple[str, str, int]] = []  # (method name, user, status)

    # ----- seeding -----

    def create_spreadsheet(
        self,
        title: str,
        tabs: dict[str, list[list[str]]] | None = None,
        key: str | None = None,
        *,
        restricted: bool = False,
        created: float | None = None,
    ) -> str:
        """Create a spreadsheet with ``tabs`` (title -> rows written as USER_ENTERED) and return its key.

        ``key`` lets a caller choose the spreadsheet id (e.g. the one in a mapping file);
        ``restricted=True`` makes every API call on it answer 403, as for a sheet not shared
        with the service account; ``created`` (epoch seconds) back-dates a file that existed
        before the test, e.g. the files a recorded account already had.
        """
        with self.store.lock:
            spreadsheet = Spreadsheet(
                id=key or new_file_id(), properties=defaults.spreadsheet_properties(title)
            )
            spreadsheet.restricted = restricted
            if created is not None:
                spreadsheet.created = spreadsheet.modified = created
            for index, (tab, rows) in enumerate((tabs or {"Sheet1": []}).items()):
                sheet_id = 0 if index == 0 else 1_000_000 + index
                width = max([defaults.COLUMN_COUNT, *(len(r) for r in rows)])
                height = max(defaults.ROW_COUNT, len(rows))
                sheet = Sheet(defaults.sheet_properties(sheet_id, tab, index, height, width))
                spreadsheet.sheets.append(sheet)
                values.write(spreadsheet, sheet, 0, 0, [list(r) for r in rows], user_entered=True)
            self.store.add(spreadsheet)
            return spreadsheet.id

    def values(self, key: str, range_text: str, render: str = values.FORMATTED) -> list[list[Any]]:
        """Read a range directly (tests use this to check what the API wrote)."""
        with self.store.lock:
            spreadsheet = self.store.get(key)
            if spreadsheet is None:
                raise KeyError(key)
            rows: list[list[Any]] = values.get(spreadsheet, range_text, value_option=render).get("values", [])
            return rows

    def set_cell(self, key: str, sheet_title: str, row: int, col: int, text: str) -> None:
        """Type ``text`` into a cell as a person would (USER_ENTERED) and bump the Drive version."""
        with self.store.lock:
            spreadsheet = self.store.get(key)
            sheet = spreadsheet.sheet_by_title(sheet_title) if spreadsheet else None
            if spreadsheet is None or sheet is None:
                raise KeyError(f"{key}/{sheet_title}")
            parsed = input_parsing.parse(text, user_entered=True)
            cell = sheet.cell_for_write(row, col)
            cell.value = parsed.value
            if parsed.number_format:
                cell.format = {**(cell.format or {}), "numberFormat": parsed.number_format}
            sheet.prune(row, col)
            self.store.touch(spreadsheet)

    # ----- observation and control -----

    def record(self, method: str, user: str, status: int) -> None:
        with self._log_lock:
            self.request_log.append((method, user, status))

    def request_counts(self) -> Counter[str]:
        """Calls per API method, e.g. ``{"sheets.spreadsheets.values.batchGet": 3}``."""
        with self._log_lock:
            return Counter(method for method, _, _ in self.request_log)

    def clear_log(self) -> None:
        with self._log_lock:
            self.request_log.clear()

    def reset(self) -> None:
        """Forget every spreadsheet, rule, quota window and log entry."""
        self.store.clear()
        self.quota.reset()
        self.faults.clear()
        self.clear_log()
