"""Cells parse the way staff type them and write back RAW."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.enums import FUNDER_LABELS
from sync.cells import CellError, CellSpec, FieldKind, format_value, parse
from sync.headers import normalise

WON = CellSpec(FieldKind.WON)
THOUSAND = CellSpec(FieldKind.WON, unit="천원")
FUNDER = CellSpec(FieldKind.ENUM, labels=tuple((str(k), v) for k, v in FUNDER_LABELS.items()))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234000, 1234000),
        ("1,234,000", 1234000),
        ("1,234,000원", 1234000),
        (" 5,000,000 ", 5000000),
        (1234000.0, 1234000),
        ("", 0),
    ],
)
def test_won_reads_typed_amounts(raw: object, expected: int) -> None:
    assert parse(WON, raw) == expected


def test_thousand_won_column_multiplies_but_a_typed_unit_wins() -> None:
    assert parse(THOUSAND, 1234) == 1_234_000
    assert parse(THOUSAND, "1,234.5") == 1_234_500
    assert parse(THOUSAND, "1,234,000원") == 1_234_000
    assert format_value(THOUSAND, 1_234_000) == 1234


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("많음", "NOT_A_NUMBER"),
        (-5, "NEGATIVE_AMOUNT"),
        ("-1,000원", "NEGATIVE_AMOUNT"),
        (12.5, "NOT_WHOLE_WON"),
    ],
)
def test_bad_money_is_a_cell_error_with_korean_message(raw: object, code: str) -> None:
    with pytest.raises(CellError) as caught:
        parse(WON, raw)
    assert caught.value.code == code
    assert any("\uac00" <= ch <= "\ud7a3" for ch in caught.value.message)


def test_codes_keep_leading_zeros_as_text() -> None:
    spec = CellSpec(FieldKind.CODE)
    assert parse(spec, "007") == "007"
    assert parse(spec, "'0123") == "0123"
    assert parse(spec, 7530123.0) == "7530123"
    assert format_value(spec, "007") == "007"


def test_enum_reads_korean_labels_and_names_width_insensitively() -> None:
    assert parse(FUNDER, "하남시") == "CITY"
    assert parse(FUNDER, " 교육지원청 ") == "OFFICE_OF_EDUCATION"
    assert parse(FUNDER, "city") == "CITY"
    assert format_value(FUNDER, "PROVINCE") == "경기도교육청"
    with pytest.raises(CellError, match="하남시"):
        parse(FUNDER, "서울시")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (45717, "2025-03-01"),
        ("2025. 3. 1.", "2025-03-01"),
        ("2025-03-01", "2025-03-01"),
        ("2025.03.01", "2025-03-01"),
    ],
)
def test_dates_as_serials_and_korean_dotted_text(raw: object, expected: str) -> None:
    assert parse(CellSpec(FieldKind.DATE), raw) == expected


def test_impossible_date_is_an_error() -> None:
    with pytest.raises(CellError):
        parse(CellSpec(FieldKind.DATE), "2025. 2. 30.")


def test_required_blank_is_an_error() -> None:
    with pytest.raises(CellError) as caught:
        parse(CellSpec(FieldKind.TEXT, required=True), "  ")
    assert caught.value.code == "REQUIRED"


def test_headers_normalise_width_case_and_spaces() -> None:
    assert normalise(" ＩＤ ") == normalise("id")
    assert normalise("학생  수") == "학생 수"


@given(st.integers(min_value=0, max_value=2**53))
def test_won_round_trips_through_its_format(value: int) -> None:
    assert parse(WON, format_value(WON, value)) == value
    assert parse(THOUSAND, format_value(THOUSAND, value)) == value


@pytest.mark.parametrize(
    ("raw", "expected"), [(1.5, "1.5"), ("2", "2.0"), ("3.5시간", "3.5"), (0, "0.0"), ("", "0.0")]
)
def test_tenths_read_hours_exactly(raw: object, expected: str) -> None:
    assert parse(CellSpec(FieldKind.TENTHS), raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"), [(1.25, "NOT_TENTHS"), ("-1", "NEGATIVE_NUMBER"), ("두 시간", "NOT_A_NUMBER")]
)
def test_bad_hours_are_cell_errors(raw: object, code: str) -> None:
    with pytest.raises(CellError) as error:
        parse(CellSpec(FieldKind.TENTHS), raw)
    assert error.value.code == code


def test_tenths_are_written_as_numbers() -> None:
    assert format_value(CellSpec(FieldKind.TENTHS), "2.5") == 2.5
