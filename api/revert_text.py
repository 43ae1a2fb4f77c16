"""`eduhub sync revert` in words staff read: one line per value put back or held back, in Korean.

Records and fields are named as the sheet names them (tab and header from the mapping file), so
the line matches the cell a person will look at.
"""

from __future__ import annotations

from typing import Any

from models.enums import RecordType
from models.services.cycle_revert import ARCHIVED, Conflict, Restored, RevertResult
from sync.mapping import Mapping

FALLBACK_TABS = {
    RecordType.SCHOOL: "학교",
    RecordType.PROGRAM: "사업",
    RecordType.BUDGET_LINE: "예산",
    RecordType.PARTNER: "교육자원",
}


def lines(result: RevertResult, mapping: Mapping) -> list[str]:
    """Every change and conflict, then one summary line."""
    names = _names(mapping)
    out = [_restored(r, names) for r in result.restored]
    out += [_conflict(c, names) for c in result.conflicts]
    if result.dry_run:
        summary = (
            f"동기화 #{result.cycle_id} 되돌리기 미리보기: {len(result.restored)}건을 되돌리고 "
            f"{len(result.conflicts)}건은 충돌로 남깁니다. 아무것도 쓰지 않았습니다."
        )
    else:
        summary = (
            f"동기화 #{result.cycle_id} 되돌림: {len(result.restored)}건 되돌림, "
            f"{len(result.conflicts)}건 충돌(유지). 시트에는 다음 동기화 때 반영됩니다."
        )
    return [*out, summary]


Names = tuple[dict[RecordType, str], dict[tuple[RecordType, str], str]]


def _names(mapping: Mapping) -> Names:
    tabs: dict[RecordType, str] = dict(FALLBACK_TABS)
    headers: dict[tuple[RecordType, str], str] = {}
    for sheet in mapping.spreadsheets:
        for tab in sheet.tabs:
            tabs[tab.model] = tab.name
            for column in tab.columns:
                headers[(tab.model, column.field)] = column.header
    return tabs, headers


def _where(record_type: RecordType, record_id: int, field: str, names: Names) -> str:
    tabs, headers = names
    label = "보관 여부" if field == ARCHIVED else headers.get((record_type, field), field)
    return f"{tabs[record_type]} ID {record_id} {label}"


def _value(field: str, value: Any) -> str:
    if field == ARCHIVED:
        return "보관" if value else "사용 중"
    return "(빈 값)" if value is None or value == "" else str(value)


def _restored(entry: Restored, names: Names) -> str:
    where = _where(entry.record_type, entry.record_id, entry.field, names)
    now, back = _value(entry.field, entry.value_now), _value(entry.field, entry.value_back)
    return f"되돌림  {where}: {now} → {back}"


def _conflict(entry: Conflict, names: Names) -> str:
    where = _where(entry.record_type, entry.record_id, entry.field, names)
    return (
        f"충돌    {where}: 지금 {_value(entry.field, entry.value_now)} 유지, "
        f"되돌릴 값 {_value(entry.field, entry.value_back)} — {entry.reason}"
    )
