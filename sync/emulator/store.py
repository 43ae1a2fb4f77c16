"""The in-memory model of Drive files and spreadsheets, optionally persisted to one JSON file.

One ``RLock`` guards everything: the HTTP app, the HTML page and test code all mutate the same
objects, and uvicorn may run in a different thread from the test that seeds data.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import defaults

_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def new_file_id() -> str:
    """A 44-character id shaped like a Drive file id."""
    return "1" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(43))


def new_numeric_id() -> int:
    """A positive 31-bit id like the sheet, protected-range and metadata ids Google hands out."""
    return secrets.randbelow(2_000_000_000 - 1_000_000) + 1_000_000


def rfc3339(timestamp: float) -> str:
    """Epoch seconds to Drive's ``2023-07-25T15:40:49.067Z``."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Cell:
    """One cell: what the user entered, its format, note and validation rule."""

    value: dict[str, Any] | None = None
    format: dict[str, Any] | None = None
    note: str | None = None
    validation: dict[str, Any] | None = None

    def is_blank(self) -> bool:
        """True when nothing at all is stored (the cell can be dropped from the sparse grid)."""
        return not (self.value or self.format or self.note or self.validation)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class Sheet:
    """A grid sheet: properties plus a sparse map of cells and the structure around them."""

    properties: dict[str, Any]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    row_groups: list[dict[str, Any]] = field(default_factory=list)
    column_groups: list[dict[str, Any]] = field(default_factory=list)
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    column_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    basic_filter: dict[str, Any] | None = None

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def row_count(self) -> int:
        return int(self.properties["gridProperties"].get("rowCount", 0))

    @property
    def column_count(self) -> int:
        return int(self.properties["gridProperties"].get("columnCount", 0))

    def cell(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))

    def cell_for_write(self, row: int, col: int) -> Cell:
        """The cell at (row, col), created if absent."""
        return self.cells.setdefault((row, col), Cell())

    def prune(self, row: int, col: int) -> None:
        """Forget a cell that no longer holds anything (keeps the grid sparse)."""
        found = self.cells.get((row, col))
        if found is not None and found.is_blank():
            del self.cells[(row, col)]

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if k not in {"cells", "row_meta", "column_meta"}}
        data["cells"] = [[r, c, cell.to_json()] for (r, c), cell in sorted(self.cells.items())]
        data["row_meta"] = {str(k): v for k, v in self.row_meta.items()}
        data["column_meta"] = {str(k): v for k, v in self.column_meta.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sheet:
        sheet = cls(properties=data["properties"])
        for key in ("merges", "protected_ranges", "row_groups", "column_groups", "basic_filter"):
            setattr(sheet, key, data.get(key, getattr(sheet, key)))
        sheet.cells = {(r, c): Cell(**cell) for r, c, cell in data.get("cells", [])}
        sheet.row_meta = {int(k): v for k, v in data.get("row_meta", {}).items()}
        sheet.column_meta = {int(k): v for k, v in data.get("column_meta", {}).items()}
        return sheet


@dataclass
class Spreadsheet:
    """A spreadsheet together with the Drive file that holds it."""

    id: str
    properties: dict[str, Any]
    sheets: list[Sheet] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    modified: float = field(default_factory=time.time)
    version: int = 1
    restricted: bool = False
    trashed: bool = False
    parents: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        exact = next((s for s in self.sheets if s.title == title), None)
        # Google matches sheet titles case-insensitively when no exact match exists.
        return exact or next((s for s in self.sheets if s.title.lower() == title.lower()), None)

    def reindex(self) -> None:
        """Keep ``properties.index`` equal to list position after moves, adds and deletes."""
        self.sheets.sort(key=lambda s: s.properties["index"])
        for position, sheet in enumerate(self.sheets):
            sheet.properties["index"] = position

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if k != "sheets"}
        data["sheets"] = [sheet.to_json() for sheet in self.sheets]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Spreadsheet:
        fields = {k: v for k, v in data.items() if k != "sheets"}
        return cls(sheets=[Sheet.from_json(s) for s in data.get("sheets", [])], **fields)


@dataclass
class Change:
    """One entry of the Drive changes feed."""

    change_id: int
    file_id: str
    time: float
    removed: bool


class StoreFileError(Exception):
    """The persisted store file exists but cannot be read back."""


class Store:
    """All spreadsheets, the Drive changes feed and (optionally) the JSON file they live in."""

    def __init__(self, persist_path: str | os.PathLike[str] | None = None) -> None:
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.changes: list[Change] = []
        self.next_change_id = 1
        self.account_email = defaults.DEFAULT_ACCOUNT
        self.persist_path = Path(persist_path) if persist_path else None
        if self.persist_path and self.persist_path.exists():
            self._load(self.persist_path)

    def __iter__(self) -> Iterator[Spreadsheet]:
        return iter(list(self.spreadsheets.values()))

    def get(self, spreadsheet_id: str) -> Spreadsheet | None:
        found = self.spreadsheets.get(spreadsheet_id)
        return None if found is None or found.trashed else found

    def add(self, spreadsheet: Spreadsheet) -> None:
        with self.lock:
            self.spreadsheets[spreadsheet.id] = spreadsheet
            self.touch(spreadsheet, bump=False)

    def remove(self, spreadsheet_id: str) -> None:
        with self.lock:
            self.spreadsheets.pop(spreadsheet_id, None)
            self._record_change(spreadsheet_id, removed=True)
            self.save()

    def touch(self, spreadsheet: Spreadsheet, *, bump: bool = True) -> None:
        """Record a write: Drive's modifiedTime and version move, the changes feed grows."""
        with self.lock:
            if bump:
                spreadsheet.version += 1
                # Keep modifiedTime strictly increasing even for writes within one millisecond.
                spreadsheet.modified = max(time.time(), spreadsheet.modified + 0.001)
            self._record_change(spreadsheet.id, removed=False)
            self.save()

    def clear(self) -> None:
        with self.lock:
            self.spreadsheets.clear()
            self.changes.clear()
            self.save()

    def _record_change(self, file_id: str, *, removed: bool) -> None:
        self.changes.append(Change(self.next_change_id, file_id, time.time(), removed))
        self.next_change_id += 1

    def save(self) -> None:
        """Write the whole store atomically (temp file + rename) so a crash never truncates it."""
        if self.persist_path is None:
            return
        with self.lock:
            data = {
                "spreadsheets": [s.to_json() for s in self.spreadsheets.values()],
                "next_change_id": self.next_change_id,
                "changes": [vars(c) for c in self.changes[-1000:]],
            }
            tmp = self.persist_path.with_suffix(self.persist_path.suffix + ".tmp")
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.persist_path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for item in data.get("spreadsheets", []):
                spreadsheet = Spreadsheet.from_json(item)
                self.spreadsheets[spreadsheet.id] = spreadsheet
            self.changes = [Change(**c) for c in data.get("changes", [])]
            self.next_change_id = int(data.get("next_change_id", len(self.changes) + 1))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            # Never start over an unreadable file: the next save would replace what it holds.
            raise StoreFileError(
                f"cannot load the emulator's store {path}: {type(error).__name__}: {error}; "
                "fix or move the file (it is never overwritten while unreadable)"
            ) from error
