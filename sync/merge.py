"""The merge engine: sheet rows + database values + last-synced snapshots -> a TabPlan. Pure.

Rows are identified by their ID cell only; positions are looked up fresh every cycle, so sorts,
filters, inserts and moves never re-map a record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sync.mapping import Direction, Side, SpreadsheetMapping, TabMapping
from sync.plan import Append, Archive, Conflict, Create, Issue, RowDelete, RowUpdate, TabPlan
from sync.records import KINDS
from sync.table import SheetRow, Table, formatted

Values = dict[str, Any]
AMBIGUOUS_PROBLEM = "같은 항목이 데이터베이스에 여러 개 있어 어느 것인지 알 수 없습니다. ID를 입력하세요."


@dataclass(frozen=True, slots=True)
class DbRecord:
    values: Values
    archived: bool


@dataclass
class MergeInput:
    """What the database side knows for one tab.

    ``synced``: row key -> (record id, snapshot) for every SyncedRow of the tab.
    ``db``: current values of the records that changed since the cursor, plus any the sheet
    names by an ID that has no SyncedRow. A synced record missing here has not changed, so its
    database value is its snapshot.
    ``unsynced``: ids of live records in ``db`` that have no SyncedRow (new in the database).
    """

    synced: dict[str, tuple[int, Values]]
    db: dict[int, DbRecord]
    unsynced: set[int] = field(default_factory=set)


def merge(
    spreadsheet: SpreadsheetMapping, table: Table, state: MergeInput, *, confirm_deletes: bool = False
) -> TabPlan:
    tab = table.tab
    plan = TabPlan(tab.name)
    if table.issue is not None:
        plan.skipped = True
        plan.issues.append(table.issue)
        return plan
    key_counts = Counter(r.key for r in table.rows if r.key is not None)
    seen: set[str] = set()
    claimed: set[int] = set()
    keyless: list[SheetRow] = []
    for row in table.rows:
        if row.key is None:
            keyless.append(row)
            continue
        seen.add(row.key)
        if key_counts[row.key] > 1:
            plan.issues.append(
                _issue(
                    tab,
                    row,
                    None,
                    row.key,
                    "DUPLICATE_ID",
                    f"ID '{row.key}'가 여러 행에 있습니다. 복사한 행이라면 ID 칸을 비우세요.",
                )
            )
            continue
        _keyed_row(tab, row, state, plan, claimed)
    _keyless_rows(tab, keyless, state, plan, seen, claimed)
    _gone_rows(spreadsheet, tab, table, state, plan, seen, confirm_deletes)
    if tab.direction is not Direction.FROM_SHEET:
        for record_id in sorted(state.unsynced - claimed):
            record = state.db[record_id]
            if not record.archived:
                plan.appends.append(Append(record_id, _mapped(tab, record.values)))
    return plan


def _keyed_row(tab: TabMapping, row: SheetRow, state: MergeInput, plan: TabPlan, claimed: set[int]) -> None:
    synced = state.synced.get(row.key or "")
    if synced is not None:
        record_id, snapshot = synced
        record = state.db.get(record_id, DbRecord(snapshot, archived=False))
        if record.archived:
            plan.row_deletes.append(RowDelete(record_id, row.key or "", row.number))
            return
        update = _merge_row(tab, row, record_id, snapshot, record.values, plan)
        if update is not None:
            plan.updates.append(update)
        return
    _unsynced_keyed_row(tab, row, state, plan, claimed)


def _unsynced_keyed_row(
    tab: TabMapping, row: SheetRow, state: MergeInput, plan: TabPlan, claimed: set[int]
) -> None:
    key = row.key or ""
    record_id = int(key) if key.isdigit() else -1
    record = state.db.get(record_id)
    if record is None or record_id not in state.unsynced:
        plan.issues.append(
            _issue(
                tab,
                row,
                None,
                row.key or "",
                "UNKNOWN_ID",
                f"ID '{row.key}'인 항목이 없습니다. 새 행이라면 ID 칸을 비워 두세요.",
            )
        )
        return
    claimed.add(record_id)
    if record.archived:
        plan.row_deletes.append(RowDelete(record_id, key, row.number))
        return
    # The worker wrote this row but crashed before recording it: the database is the base.
    update = _merge_row(tab, row, record_id, _mapped(tab, record.values), record.values, plan)
    if update is not None:
        update.is_new_sync = True
        plan.updates.append(update)


def _keyless_rows(
    tab: TabMapping, rows: list[SheetRow], state: MergeInput, plan: TabPlan, seen: set[str], claimed: set[int]
) -> None:
    natural_key = KINDS[tab.model].natural_key
    unseen = {k: v for k, v in state.synced.items() if k not in seen}
    for row in rows:
        if _hold_if_bad(tab, row, plan):
            continue
        # 1. A row created last cycle whose ID write was lost: same values as an unseen synced row.
        match = [k for k, (_, snap) in unseen.items() if _mapped(tab, snap) == _mapped(tab, row.values)]
        if len(match) == 1:
            record_id, snapshot = unseen.pop(match[0])
            seen.add(match[0])
            plan.updates.append(RowUpdate(record_id, match[0], row.number, {}, {}, snapshot, write_id=True))
            continue
        # 2. First contact: the same natural key as a database record the sheet does not have yet.
        if all(name in row.values for name in natural_key):
            wanted = tuple(row.values[n] for n in natural_key)
            candidates = [
                rid
                for rid in sorted(state.unsynced - claimed)
                if not state.db[rid].archived
                and tuple(state.db[rid].values.get(n) for n in natural_key) == wanted
            ]
            if len(candidates) > 1:
                plan.issues.append(
                    _issue(
                        tab,
                        row,
                        None,
                        "",
                        "AMBIGUOUS_ROW",
                        AMBIGUOUS_PROBLEM,
                    )
                )
                continue
            if candidates:
                record_id = candidates[0]
                claimed.add(record_id)
                values = state.db[record_id].values
                update = _merge_row(tab, row, record_id, _mapped(tab, values), values, plan)
                if update is not None:
                    update.write_id = update.is_new_sync = True
                    update.key = str(record_id)
                    plan.updates.append(update)
                continue
        if tab.direction is Direction.TO_SHEET:
            continue
        plan.creates.append(Create(row.number, dict(row.values)))


def _gone_rows(
    spreadsheet: SpreadsheetMapping,
    tab: TabMapping,
    table: Table,
    state: MergeInput,
    plan: TabPlan,
    seen: set[str],
    confirm_deletes: bool,
) -> None:
    archives = []
    for key, (record_id, _) in sorted(state.synced.items()):
        if key in seen:
            continue
        record = state.db.get(record_id)
        if record is not None and record.archived:
            plan.forget.append(record_id)
        elif tab.direction is Direction.TO_SHEET:
            plan.appends.append(
                Append(record_id, _mapped(tab, (record or DbRecord(state.synced[key][1], False)).values))
            )
        else:
            archives.append(Archive(record_id, key))
    live = max(1, len(state.synced) - len(plan.forget))
    too_many = len(archives) > spreadsheet.delete_guard_rows or (
        len(archives) > 1 and len(archives) / live > spreadsheet.delete_guard_share
    )
    id_trouble = any(i.code in ("UNKNOWN_ID", "DUPLICATE_ID") for i in plan.issues)
    if archives and id_trouble:
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


def _merge_row(
    tab: TabMapping, row: SheetRow, record_id: int, base: Values, db: Values, plan: TabPlan
) -> RowUpdate | None:
    """Field-level three-way merge of one row, or None when a bad cell holds the row back."""
    for name in list(row.errors):
        if row.is_formula(name, formatted(tab, name, base.get(name))):
            del row.errors[name]
    if _hold_if_bad(tab, row, plan):
        return None
    update = RowUpdate(record_id, row.key or str(record_id), row.number, {}, {}, dict(base))
    for name in row.raw:
        b, d = base.get(name), db.get(name)
        formula = row.is_formula(name, formatted(tab, name, b))
        s = b if formula else row.values[name]
        if tab.direction is Direction.TO_SHEET:
            final = d  # the database owns this tab: staff edits are restored
        elif tab.direction is Direction.FROM_SHEET:
            final = s  # the sheet owns this tab: database edits are overwritten
        else:
            final = _field(tab, update, name, b, s, d)
        if final != s:
            if formula:
                plan.issues.append(
                    _issue(
                        tab,
                        row,
                        name,
                        str(row.raw.get(name)),
                        "FORMULA_CELL",
                        "수식 셀이라 데이터베이스 값으로 덮어쓰지 않았습니다.",
                    )
                )
                continue
            update.to_sheet[name] = final
        if final != d:
            update.to_db[name] = final
        update.snapshot[name] = final
    return update


def _field(tab: TabMapping, update: RowUpdate, name: str, b: Any, s: Any, d: Any) -> Any:
    if s == d or d == b:
        return s
    if s == b:
        return d
    side = tab.conflict_policy
    update.conflicts.append(Conflict(update.record_id, name, b, s, d, side.value))
    return s if side is Side.SHEET else d


def _hold_if_bad(tab: TabMapping, row: SheetRow, plan: TabPlan) -> bool:
    for name, error in row.errors.items():
        plan.issues.append(_issue(tab, row, name, str(row.raw.get(name, "")), error.code, error.message))
    return bool(row.errors)


def _issue(
    tab: TabMapping, row: SheetRow, field_name: str | None, value: str, code: str, problem: str
) -> Issue:
    return Issue(tab.name, row.number, field_name, value, code, problem, row.key)


def _mapped(tab: TabMapping, values: Values) -> Values:
    """Only the fields this tab maps (a tab may leave some out)."""
    return {c.field: values.get(c.field) for c in tab.columns}
