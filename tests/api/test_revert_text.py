"""The Korean lines `eduhub sync revert` prints, named by the mapping's tabs and headers."""

from __future__ import annotations

from api.revert_text import lines
from models.enums import RecordType
from models.services.cycle_revert import ARCHIVED, LATER_EDIT, Conflict, Restored, RevertResult
from sync.mapping import load


def test_changes_conflicts_and_archives_read_as_the_sheet_names_them() -> None:
    result = RevertResult(
        7,
        dry_run=False,
        restored=[
            Restored(RecordType.BUDGET_LINE, 4, "allocated", 9_000_000, 5_000_000),
            Restored(RecordType.SCHOOL, 9, ARCHIVED, False, True),
            Restored(RecordType.PROGRAM, 2, "description", "", "여름방학 운영"),
        ],
        conflicts=[Conflict(RecordType.SCHOOL, 3, "students", 777, 101)],
    )
    assert lines(result, load()) == [
        "되돌림  예산 ID 4 배정액: 9000000 → 5000000",
        "되돌림  학교 ID 9 보관 여부: 사용 중 → 보관",
        "되돌림  사업 ID 2 설명: (빈 값) → 여름방학 운영",
        f"충돌    학교 ID 3 학생수: 지금 777 유지, 되돌릴 값 101 — {LATER_EDIT}",
        "동기화 #7 되돌림: 3건 되돌림, 1건 충돌(유지). 시트에는 다음 동기화 때 반영됩니다.",
    ]


def test_a_dry_run_says_nothing_was_written() -> None:
    summary = lines(RevertResult(3, dry_run=True), load())
    assert summary == [
        "동기화 #3 되돌리기 미리보기: 0건을 되돌리고 0건은 충돌로 남깁니다. 아무것도 쓰지 않았습니다."
    ]
