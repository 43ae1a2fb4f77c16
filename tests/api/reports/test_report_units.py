"""The money unit: whole 원 kept, 천원 rounded half up, anything else refused in Korean."""

from __future__ import annotations

import pytest

from api.reports.errors import BadReportRequest
from api.reports.units import MoneyUnit, convert, parse_unit, unit_note


@pytest.mark.parametrize(
    ("won", "thousands"),
    [(0, 0), (499, 0), (500, 1), (1_234_499, 1234), (1_234_500, 1235), (999_999_999_999, 1_000_000_000)],
)
def test_thousand_won_rounds_half_up(won: int, thousands: int) -> None:
    assert convert(won, MoneyUnit.THOUSAND_WON) == thousands


def test_won_is_kept_to_the_last_won_even_beyond_a_float() -> None:
    big = 2**53 - 1
    assert convert(big, MoneyUnit.WON) == big
    # 2^53 - 1 won in 천원: exact integer arithmetic (a float would give ...993 or ...992 at random).
    assert convert(big, MoneyUnit.THOUSAND_WON) == (big + 500) // 1000


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        (None, MoneyUnit.WON),
        ("", MoneyUnit.WON),
        ("원", MoneyUnit.WON),
        ("천원", MoneyUnit.THOUSAND_WON),
        (" THOUSAND_WON ", MoneyUnit.THOUSAND_WON),
    ],
)
def test_units_people_type(text: str | None, unit: MoneyUnit) -> None:
    assert parse_unit(text) is unit


@pytest.mark.parametrize("text", ["달러", "백만원", "1000"])
def test_another_unit_is_refused_in_korean(text: str) -> None:
    with pytest.raises(BadReportRequest, match="'원' 또는 '천원'"):
        parse_unit(text)


def test_the_note_states_the_unit_and_the_rule() -> None:
    assert "반올림" in unit_note(MoneyUnit.THOUSAND_WON) and unit_note(MoneyUnit.THOUSAND_WON).startswith(
        "천원"
    )
    assert unit_note(MoneyUnit.WON).startswith("원")
