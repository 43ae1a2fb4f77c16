"""The merge engine: sheet rows + database values + last-synced state -> a TabPlan. Pure.

Which record a row is (in this order, never by position):
1. The anchor it carries (row developer metadata the worker put there, ``sync.anchors``).
   A row whose ID cell names another record than its anchor was pasted over: it is held
   with an ID_MISMATCH issue, and nothing is archived until staff fix it.
2. Without an anchor, the ID cell: a record whose anchor is seen nowhere (a sheet synced
   before anchors, or a row cut and pasted elsewhere) takes this row, and the row gets an
   anchor. An ID whose record's row is seen elsewhere is a copy (DUPLICATE_ID), an unknown
   one UNKNOWN_ID; both hold archives.
3. Without either, it is a new row: this cycle it only gets an unclaimed anchor; the next
   cycle, reading where that anchor landed, creates its record (or adopts a database record
   with the same natural key, every differing field a conflict) and writes the ID by anchor.

Fields merge three ways against the snapshot: sheet-only change -> database, database-only
change -> sheet, both -> a conflict that keeps both values. A cell that shows exactly what
the worker wrote for the base value is unchanged, whatever the cell parser would make of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync import anchors
from sync.cells import is_blank
from sync.mapping import Direction, Side, SpreadsheetMapping, TabMapping
from sync.plan import Append, Archive, Conflict, Create, Issue, RowClear, RowUpdate, TabPlan
from sync.records import KINDS
from sync.table import SheetRow, Table, formatted

Values = dict[str, Any]
AMBIGUOUS_PROBLEM = "같은 항목이 데이터베이스에 여러 개 있어 어느 것인지 알 수 없습니다. ID를 입력하세요."
ID_TROUBLE = ("UNKNOWN_ID", "DUPLICATE_ID", "DUPLICATE_ROW", "ID_MISMATCH", "ANCHOR_CONFLICT")
NO_BASE = object()  # a field of two records met by natural key: no common base value


@dataclass(frozen=True, slots=True)
class DbRecord:
    values: Values
    archived: bool


@dataclass(frozen=True, slots=True)
class Synced:
    """A record's sync state in a tab: its ID text, merge base, anchor and whether its row exists."""

    record_id: int
    row_key: str
    snapshot: Values
    anchor: str | None = None
    placed: bool = True  # False while an append of the record has not been seen in the sheet


@dataclass
class MergeInput:
    """What the database side knows for one tab.

    ``synced``: record id -> sync state for every SyncedRow of the tab.
    ``db``: current values of the records that changed since the cursor, plus any the sheet
    names by an ID that has no SyncedRow. A synced record missing here has not changed, so its
    database value is its snapshot.
    ``unsynced``: ids of records in ``db`` that have no SyncedRow (new in the database).
    """

    synced: dict[int, Synced]
    db: dict[int, DbRecord]
    unsynced: set[int] = field(default_factory=set)


@dataclass
class _Pass:
    """Bookkeeping while one tab is merged."""

    tab: TabMapping
    state: MergeInput
    plan: TabPlan
    by_anchor: dict[str, Synced]
    by_key: dict[str, Synced]
    seen: set[int] = field(default_factory=set)  # synced records whose row was found
    taken: set[int] = field(default_factory=set)  # unsynced records a sheet row took


def merge(
    spreadsheet: SpreadsheetMapping,
    table: Table,
    state: MergeInput,
    *,
    confirm_deletes: bool = False,
    new_token: Callable[[], str] = anchors.new_token,
) -> TabPlan:
    tab = table.tab
    plan = TabPlan(tab.name)
    plan.issues += table.notices
    if table.issue is not None:
        plan.skipped = True
        plan.issues.append(table.issue)
        return plan
    work = _Pass(
        tab,
        state,
        plan,
        {s.anchor: s for s in state.synced.values() if s.anchor},
        {s.row_key: s for s in state.synced.values()},
    )
    loose = [row for row in table.rows if not _anchored_row(work, row)]
    keys = Counter(row.key for row in loose if row.key is not None)
    for row in loose:
        if row.key is not None:
            _id_row(work, row, keys[row.key])
        else:
            _new_row(work, row)
    _gone_rows(spreadsheet, work, table, confirm_deletes, new_token)
    if tab.direction is not Direction.FROM_SHEET:
        for record_id in sorted(state.unsynced - work.taken):
            record = state.db[record_id]
            if not record.archived:
                # Only the columns the tab has: a missing one's value waits (MISSING_COLUMN).
                values = {k: v for k, v in _mapped(tab, record.values).items() if k in table.columns}
                plan.appends.append(Append(record_id, values, new_token()))
    owned = {s.anchor for s in state.synced.values() if s.anchor}
    plan.drops += [token for token in table.blank_anchors if token not in owned]
    return plan


def _anchored_row(work: _Pass, row: SheetRow) -> bool:
    """Handle a row carrying a claimed anchor; False when it carries none."""
    owners = {work.by_anchor[a].record_id: work.by_anchor[a] for a in row.anchors if a in work.by_anchor}
    if not owners:
        return False
    if owners.keys() & work.seen:
        # The same record's anchor on a second row: a structure write applied twice (Google
        # finished one the worker had given up on). Never merged twice, never guessed between.
        problem = "같은 항목의 행이 두 번 있습니다. 둘 중 한 행을 지우세요."
        work.plan.issues.append(_issue(work.tab, row, None, row.key or "", "DUPLICATE_ROW", problem))
        return True
    work.seen.update(owners)
    if len(owners) > 1:
        problem = "이 행에 여러 항목의 표식이 붙어 있습니다. 행을 합쳤다면 되돌리세요."
        work.plan.issues.append(_issue(work.tab, row, None, row.key or "", "ANCHOR_CONFLICT", problem))
        return True
    [synced] = owners.values()
    assert synced.anchor is not None
    work.plan.drops += [a for a in row.anchors if a != synced.anchor]
    if row.key is not None and row.key != synced.row_key:
        problem = (
            f"이 행의 ID '{row.key}'가 행에 붙은 항목 {synced.row_key}과(와) 다릅니다. 다른 행을 "
            f"붙여 넣었다면 되돌리거나 ID 칸을 '{synced.row_key}'(으)로 고치세요."
        )
        work.plan.issues.append(_issue(work.tab, row, None, row.key, "ID_MISMATCH", problem))
        return True
    _known_row(work, row, synced, synced.anchor, write_id=row.key is None)
    return True


def _id_row(work: _Pass, row: SheetRow, copies: int) -> None:
    """A row with an ID cell but no claimed anchor."""
    key = row.key or ""
    synced = work.by_key.get(key)
    if copies > 1 or (synced is not None and synced.record_id in work.seen):
        problem = f"ID '{key}'가 여러 행에 있습니다. 복사한 행이라면 ID 칸을 비우세요."
        work.plan.issues.append(_issue(work.tab, row, None, key, "DUPLICATE_ID", problem))
        return
    spare = row.anchors[:1]
    work.plan.drops += row.anchors[1:]
    if synced is not None:
        # A sheet synced before anchors, or a row cut and pasted elsewhere: the ID says which.
        work.seen.add(synced.record_id)
        if not spare:
            work.plan.place.append(row.number)
        _known_row(work, row, synced, spare[0] if spare else None, write_id=False, claim=bool(spare))
        return
    record_id = int(key) if key.isdigit() else -1
    record = work.state.db.get(record_id)
    if record is None or record_id not in work.state.unsynced or record_id in work.taken:
        problem = f"ID '{key}'인 항목이 없습니다. 새 행이라면 ID 칸을 비워 두세요."
        work.plan.issues.append(_issue(work.tab, row, None, key, "UNKNOWN_ID", problem))
        return
    # The database has this record but no sync state for it (state lost or never recorded).
    work.taken.add(record_id)
    if not spare:
        work.plan.place.append(row.number)
        return
    _adopt(work, row, record_id, spare[0], write_id=False)


def _new_row(work: _Pass, row: SheetRow) -> None:
    """A row with neither an ID nor a claimed anchor: anchor it now, create it next cycle."""
    tab, plan = work.tab, work.plan
    if _hold_if_bad(tab, row, plan):
        return
    natural_key = KINDS[tab.model].natural_key
    candidates: list[int] = []
    if all(name in row.values for name in natural_key):
        wanted = tuple(row.values[n] for n in natural_key)
        candidates = [
            rid
            for rid in sorted(work.state.unsynced - work.taken)
            if not work.state.db[rid].archived
            and tuple(work.state.db[rid].values.get(n) for n in natural_key) == wanted
        ]
    if len(candidates) > 1:
        plan.issues.append(_issue(tab, row, None, "", "AMBIGUOUS_ROW", AMBIGUOUS_PROBLEM))
        return
    work.taken.update(candidates)  # never appended beside the row that may be its twin
    if not row.anchors:
        plan.place.append(row.number)
        return
    token = row.anchors[0]
    plan.drops += row.anchors[1:]
    if candidates:
        _adopt(work, row, candidates[0], token, write_id=True)
    elif tab.direction is not Direction.TO_SHEET:
        plan.creates.append(Create(row.number, token, dict(row.values)))


def _adopt(work: _Pass, row: SheetRow, record_id: int, token: str, *, write_id: bool) -> None:
    """A database record meets a sheet row without a common base: every difference is a conflict."""
    values = work.state.db[record_id].values
    update = merge_row(work.tab, row, record_id, None, values, work.plan.issues)
    if update is not None:
        update.anchor, update.write_id, update.is_new_sync = token, write_id, True
        update.key = str(record_id)
        work.plan.updates.append(update)


def _known_row(
    work: _Pass, row: SheetRow, synced: Synced, anchor: str | None, *, write_id: bool, claim: bool = False
) -> None:
    record = work.state.db.get(synced.record_id, DbRecord(synced.snapshot, archived=False))
    if record.archived:
        if anchor is not None:
            work.plan.clears.append(RowClear(synced.record_id, synced.row_key, anchor, row.number))
        return  # an unanchored row gets its anchor first, then the clear
    update = merge_row(work.tab, row, synced.record_id, synced.snapshot, record.values, work.plan.issues)
    if update is None:
        return
    update.key, update.anchor, update.write_id, update.claim = synced.row_key, anchor, write_id, claim
    update.placed = not synced.placed
    work.plan.updates.append(update)


def _gone_rows(
    spreadsheet: SpreadsheetMapping,
    work: _Pass,
    table: Table,
    confirm_deletes: bool,
    new_token: Callable[[], str],
) -> None:
    tab, plan, state = work.tab, work.plan, work.state
    archives = []
    for record_id, synced in sorted(state.synced.items()):
        if record_id in work.seen:
            continue
        record = state.db.get(record_id)
        on_blank_row = synced.anchor in table.blank_anchors
        if record is not None and record.archived:
            plan.forget.append(record_id)
            if on_blank_row:
                plan.drops.append(synced.anchor or "")
        elif not synced.placed and not on_blank_row:
            # Appended last cycle, not in the sheet: that append was lost (crash, lost answer).
            values = _mapped(tab, (record or DbRecord(synced.snapshot, False)).values)
            plan.appends.append(Append(record_id, values, synced.anchor or new_token(), again=True))
        elif tab.direction is Direction.TO_SHEET:
            values = _mapped(tab, (record or DbRecord(synced.snapshot, False)).values)
            plan.appends.append(Append(record_id, values, new_token(), again=True))
        else:
            archives.append(Archive(record_id, synced.row_key))
    live = max(1, len(state.synced) - len(plan.forget))
    too_many = len(archives) > spreadsheet.delete_guard_rows or (
        len(archives) > 1 and len(archives) / live > spreadsheet.delete_guard_share
    )
    if archives and any(i.code in ID_TROUBLE for i in plan.issues):
        # A row whose ID was pasted over looks "gone": never archive on a guess.
        problem = "ID 문제가 있는 행이 있어, 사라진 행의 보관 처리를 ID 문제가 해결될 때까지 보류했습니다."
        plan.issues.append(Issue(tab.name, None, None, str(len(archives)), "DELETE_HELD_FOR_IDS", problem))
        return
    if archives and too_many and not confirm_deletes:
        share = round(100 * len(archives) / live)
        problem = (
            f"이번 동기화로 {len(archives)}개 행({share}%)이 시트에서 사라져 보관 처리를 보류했습니다. "
            "실수라면 행을 되살리고, 의도한 삭제라면 `eduhub sync --confirm-deletes`로 확정하세요."
        )
        plan.issues.append(Issue(tab.name, None, None, str(len(archives)), "MASS_DELETE_HELD", problem))
        return
    plan.archives.extend(archives)
    gone = {a.record_id for a in archives}
    plan.drops += [
        s.anchor for rid, s in state.synced.items() if rid in gone and s.anchor in table.blank_anchors
    ]


def merge_row(
    tab: TabMapping, row: SheetRow, record_id: int, base: Values | None, db: Values, issues: list[Issue]
) -> RowUpdate | None:
    """Field-level three-way merge of one row, or None when a bad cell holds the row back.

    ``base`` None: the row and the record met without a common base (adopted by natural key or
    ID), so every field on which they differ is a conflict. The applier calls this again with
    the row as locked in its transaction when the database changed after the cycle's read.
    """
    # A cell showing exactly what the worker writes for the base (or for the database value)
    # holds that value: the cell parser, lenient for what staff type, never rewrites it.
    shown: dict[str, Any] = {}
    for name in row.raw:
        b = base.get(name) if base is not None else NO_BASE
        if b is not NO_BASE and (row.is_formula(name) or row.raw[name] == formatted(tab, name, b)):
            shown[name] = b
        elif not row.is_formula(name) and row.raw[name] == formatted(tab, name, db.get(name)):
            shown[name] = db.get(name)
        if name in shown:
            row.errors.pop(name, None)
    # A blank cell of an optional column asks for nothing: a header staff just added to an old
    # sheet has blank cells, which must not clear what the database holds (a carried-in amount).
    unasked = [
        n for n in row.raw if tab.column(n).optional and not row.is_formula(n) and is_blank(row.raw[n])
    ]
    for name in unasked:
        shown[name] = db.get(name)
        row.errors.pop(name, None)
    if _hold_if_bad(tab, row, issues):
        return None
    update = RowUpdate(record_id, row.key or str(record_id), row.number, {}, {}, {}, row=row)
    update.base, update.seen = (dict(base) if base is not None else None), dict(db)
    # A field whose column is missing keeps its merge base, so its edits wait for the column;
    # a database edit of it keeps the row pending (re-read every cycle until it can be written).
    unmapped = [c.field for c in tab.columns if c.field not in row.raw]
    update.snapshot.update({n: base[n] for n in unmapped if base is not None and n in base})
    # An optional column a sheet goes without holds nothing: its values are written when it appears.
    waiting = [c.field for c in tab.columns if c.field not in row.raw and not c.optional]
    update.held = any(n in db and (base is None or db[n] != base.get(n)) for n in waiting)
    owned = [name for name in row.raw if tab.column(name).worker_owned]
    for name in row.raw:
        if name in owned:
            continue
        b = base.get(name) if base is not None else NO_BASE
        d = db.get(name)
        s = shown[name] if name in shown else row.values[name]
        if tab.direction is Direction.TO_SHEET:
            final = d  # the database owns this tab: staff edits are restored
        elif tab.direction is Direction.FROM_SHEET:
            final = s  # the sheet owns this tab: database edits are overwritten
        else:
            final = _field(tab, update, name, b, s, d)
        update.snapshot[name] = s
        if final != s:
            if row.is_formula(name):
                problem = "수식 셀이라 데이터베이스 값으로 덮어쓰지 않았습니다."
                issues.append(_issue(tab, row, name, str(row.raw[name].text), "FORMULA_CELL", problem))
                continue
            update.to_sheet[name] = final
        if final != d:
            update.to_db[name] = final
    for name in unasked:
        if name not in owned and db.get(name) is not None:
            update.to_sheet[name] = db[name]  # shown from now on
    if owned:
        # What the database holds once this row's edits are in (a new 배정액 moves 예산현액 now).
        after = KINDS[tab.model].with_derived({**db, **update.to_db})
        for name in owned:
            _worker_owned(tab, row, update, name, after.get(name), issues)
    return update


def _worker_owned(
    tab: TabMapping, row: SheetRow, update: RowUpdate, name: str, d: Any, issues: list[Issue]
) -> None:
    """A column only the worker writes: the cell shows the database value, whatever was typed."""
    if d is None:
        return  # not known from this read (an old merge base); the next read of the record writes it
    update.snapshot[name] = d
    if row.raw[name] == formatted(tab, name, d):
        return
    if row.is_formula(name):
        problem = "수식 셀이라 데이터베이스 값으로 덮어쓰지 않았습니다."
        issues.append(_issue(tab, row, name, str(row.raw[name].text), "FORMULA_CELL", problem))
        return
    update.to_sheet[name] = d


def _field(tab: TabMapping, update: RowUpdate, name: str, b: Any, s: Any, d: Any) -> Any:
    if s == d:
        return s
    if b is not NO_BASE and d == b:
        return s
    if b is not NO_BASE and s == b:
        return d
    side = tab.conflict_policy
    base = None if b is NO_BASE else b
    update.conflicts.append(Conflict(update.record_id, name, base, s, d, side.value))
    return s if side is Side.SHEET else d


def _hold_if_bad(tab: TabMapping, row: SheetRow, issues: TabPlan | list[Issue]) -> bool:
    target = issues.issues if isinstance(issues, TabPlan) else issues
    for name, error in row.errors.items():
        target.append(_issue(tab, row, name, str(row.raw.get(name, "")), error.code, error.message))
    return bool(row.errors)


def _issue(
    tab: TabMapping, row: SheetRow, field_name: str | None, value: str, code: str, problem: str
) -> Issue:
    return Issue(tab.name, row.number, field_name, value, code, problem, row.key)


def _mapped(tab: TabMapping, values: Values) -> Values:
    """Only the fields this tab maps (a tab may leave some out)."""
    return {c.field: values.get(c.field) for c in tab.columns}
