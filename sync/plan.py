"""What one cycle intends to do, side by side: printable for ``eduhub sync --once --dry-run``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Values = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem shown to the person who typed it (동기화 오류 tab, cell note, GraphQL)."""

    tab: str
    row_number: int | None
    field: str | None
    value: str
    code: str
    problem: str  # Korean
    row_key: str | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    """Both sides changed one field differently since the last sync; both values are kept."""

    record_id: int
    field: str
    base: Any
    sheet: Any
    database: Any
    applied_side: str


@dataclass(slots=True)
class RowUpdate:
    """A matched row: what goes to each side and the merge base afterwards."""

    record_id: int
    key: str
    row_number: int
    to_db: Values
    to_sheet: Values
    snapshot: Values
    conflicts: list[Conflict] = field(default_factory=list)
    write_id: bool = False  # adopted by natural key or after a crash: the ID cell is still empty
    is_new_sync: bool = False  # no SyncedRow yet


@dataclass(frozen=True, slots=True)
class Create:
    """A row staff added: a new record, then its ID written into the row."""

    row_number: int
    values: Values


@dataclass(frozen=True, slots=True)
class Append:
    """A record the sheet lacks: a new row at the bottom, ID filled."""

    record_id: int
    values: Values


@dataclass(frozen=True, slots=True)
class Archive:
    """The row is gone from the sheet: tombstone the record."""

    record_id: int
    key: str


@dataclass(frozen=True, slots=True)
class RowDelete:
    """The record was archived through the API: remove its row."""

    record_id: int
    key: str
    row_number: int


@dataclass
class TabPlan:
    """Everything one tab needs this cycle."""

    tab: str
    updates: list[RowUpdate] = field(default_factory=list)
    creates: list[Create] = field(default_factory=list)
    appends: list[Append] = field(default_factory=list)
    archives: list[Archive] = field(default_factory=list)
    row_deletes: list[RowDelete] = field(default_factory=list)
    forget: list[int] = field(default_factory=list)  # archived records whose row is gone
    issues: list[Issue] = field(default_factory=list)
    skipped: bool = False  # a required header is missing: nothing done on this tab

    @property
    def changes(self) -> int:
        """How many record-level actions touch either side."""
        touched = [u for u in self.updates if u.to_db or u.to_sheet or u.write_id or u.is_new_sync]
        return (
            len(touched)
            + len(self.creates)
            + len(self.appends)
            + len(self.archives)
            + len(self.row_deletes)
            + len(self.forget)
        )

    def describe(self) -> list[str]:
        """Human-readable lines (English, for operators) of the plan."""
        lines = [f"[{self.tab}]" + (" skipped" if self.skipped else "")]
        for u in self.updates:
            if u.to_db:
                lines.append(f"  row {u.row_number} id {u.key}: sheet -> db {u.to_db}")
            if u.to_sheet:
                lines.append(f"  row {u.row_number} id {u.key}: db -> sheet {u.to_sheet}")
            for c in u.conflicts:
                lines.append(
                    f"  row {u.row_number} id {u.key}: CONFLICT {c.field} "
                    f"sheet={c.sheet!r} db={c.database!r} -> {c.applied_side}"
                )
            if u.write_id:
                lines.append(f"  row {u.row_number}: fill ID {u.key}")
        lines += [f"  row {c.row_number}: create {c.values}" for c in self.creates]
        lines += [f"  append id {a.record_id}: {a.values}" for a in self.appends]
        lines += [f"  archive id {a.key} (row gone from sheet)" for a in self.archives]
        lines += [f"  delete row {d.row_number} (id {d.key} archived)" for d in self.row_deletes]
        lines += [f"  issue row {i.row_number} {i.field or ''}: {i.code} {i.problem}" for i in self.issues]
        return lines
