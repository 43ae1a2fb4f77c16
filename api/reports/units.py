"""The money unit of a report: whole 원, or 천원 rounded half up (the rule public accounts state).

    convert(1_234_500, MoneyUnit.THOUSAND_WON) == 1235    # 1,234.5천원 -> 1,235천원
    convert(1_234_499, MoneyUnit.THOUSAND_WON) == 1234

Korean budget tables in 천원 round each figure half up (사사오입); the totals row is the exact
total in won rounded the same way, so it may differ from the sum of the rounded rows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from api.reports.errors import BadReportRequest


class MoneyUnit(StrEnum):
    WON = "원"
    THOUSAND_WON = "천원"


WON_PER_UNIT: dict[MoneyUnit, int] = {MoneyUnit.WON: 1, MoneyUnit.THOUSAND_WON: 1000}
ROUNDING_RULE = "원 단위 금액을 천원 단위로 반올림(사사오입)"
# ASCII spellings for shells and URLs that cannot type Korean easily.
_ALIASES = {"won": MoneyUnit.WON, "thousand_won": MoneyUnit.THOUSAND_WON, "krw1000": MoneyUnit.THOUSAND_WON}


def parse_unit(text: str | None) -> MoneyUnit:
    """`원` (default) or `천원`; anything else is a `BadReportRequest` in Korean."""
    if text is None or not text.strip():
        return MoneyUnit.WON
    cleaned = text.strip()
    for unit in MoneyUnit:
        if cleaned == unit.value:
            return unit
    if cleaned.lower() in _ALIASES:
        return _ALIASES[cleaned.lower()]
    raise BadReportRequest(f"금액 단위 {cleaned!r}는 쓸 수 없습니다. '원' 또는 '천원' 중에서 고르세요.")


def convert(won: int, unit: MoneyUnit) -> int:
    """Whole won -> whole `unit`, rounded half up (away from zero for the rare negative figure)."""
    divisor = WON_PER_UNIT[unit]
    if divisor == 1:
        return won
    return int((Decimal(won) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def unit_note(unit: MoneyUnit) -> str:
    """What the workbook states about its unit (beside the title and in every money header)."""
    if unit is MoneyUnit.WON:
        return "원 (원 단위, 반올림 없음)"
    return f"천원 ({ROUNDING_RULE}; 합계는 원 단위 합계를 반올림하므로 각 행을 더한 값과 다를 수 있음)"
