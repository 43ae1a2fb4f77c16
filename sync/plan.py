"""What one cycle intends to do, side by side: printable for ``eduhub sync --once --dry-run``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.table import SheetRow

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
    """A matched row: what goes to each side and the merge base afterwards.

    ``snapshot`` is what the sheet showed when read: a value bound for the sheet becomes the
    merge base only once a later read finds it there, so a write lost in a crash is redone.
    """

    record_id: int
    key: str
    row_number: int
    to_db: Values
    to_sheet: Values
    snapshot: Values
    conflicts: list[Conflict] = field(default_factory=list)
    anchor: str | None = None  # the row's anchor after this cycle; None: not anchored yet
    write_id: bool = False  # the ID cell is blank (adopted, created, or cleared by staff)
    is_new_sync: bool = False  # no SyncedRow yet (adopted by ID or natural key)
    claim: bool = False  # the SyncedRow takes ``anchor`` (a token the worker placed earlier)
    placed: bool = False  # the row of an append this cycle found: the append has landed
    base: Values | None = None  # what was merged against (None: no common base)
    seen: Values = field(default_factory=dict)  # the database values the merge saw
    held: bool = False  # a database edit waits for its missing column (MISSING_COLUMN)
    row: SheetRow | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Create:
    """A new row staff added, anchored last cycle: a new record, then its ID into the row."""

    row_number: int
    anchor: str
    values: Values


@dataclass(frozen=True, slots=True)
class Append:
    """A record the sheet lacks: a new row inserted after the last one, anchored and filled."""

    record_id: int
    values: Values
    anchor: str
    again: bool = False  # a SyncedRow already waits for this append (an earlier one was lost)


@dataclass(frozen=True, slots=True)
class Archive:
    """The row is gone from the sheet: tombstone the record."""

    record_id: int
    key: str


@dataclass(frozen=True, slots=True)
class RowClear:
    """The record was archived through the API: blank its row (by anchor) and drop the anchor.

    The worker never deletes rows itself: the API deletes rows only by position, and a
    position read earlier can name another row by the time the request lands.
    """

    record_id: int
    key: str
    anchor: str
    row_number: int


@dataclass
class TabPlan:
    """Everything one tab needs this cycle."""

    tab: str
    updates: list[RowUpdate] = field(default_factory=list)
    creates: list[Create] = field(default_factory=list)
    appends: list[Append] = field(default_factory=list)
    archives: list[Archive] = field(default_factory=list)
    clears: list[RowClear] = field(default_factory=list)
    forget: list[int] = field(default_factory=list)  # archived records whose row is gone
    place: list[int] = field(default_factory=list)  # rows that get a new unclaimed anchor
    drops: list[str] = field(default_factory=list)  # anchors to remove (stray or spent)
    issues: list[Issue] = field(default_factory=list)
    skipped: bool = False  # a required header is missing: nothing done on this tab

    @property
    def changes(self) -> int:
        """How many records change on either side (bookkeeping such as anchors does not count)."""
        touched = [u for u in self.updates if u.to_db or u.to_sheet]
        return len(touched) + len(self.creates) + len(self.appends) + len(self.archives) + len(self.clears)

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
        lines += [f"  clear row {c.row_number} (id {c.key} archived)" for c in self.clears]
        lines += [f"  row {n}: anchor (new row or unanchored ID)" for n in self.place]
        lines += [f"  issue row {i.row_number} {i.field or ''}: {i.code} {i.problem}" for i in self.issues]
        return lines
