"""Parsing cells as staff type them, and formatting values for RAW writes.

Every parser returns the value in API terms (enum names, whole won ints, code text) or raises
:class:`CellError` with a Korean message for the person who typed the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sync.headers import normalise

# Google Sheets counts days from 1899-12-30 (the Lotus 1-2-3 leap-year quirk included).
SHEETS_EPOCH = date(1899, 12, 30)
WON_UNITS = {"원": 1, "천원": 1_000, "백만원": 1_000_000}
_DOTTED_DATE = re.compile(r"^(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*[.일]?$")


class FieldKind(StrEnum):
    TEXT = "text"
    CODE = "code"
    INT = "int"
    WON = "won"
    ENUM = "enum"
    DATE = "date"
    TENTHS = "tenths"  # exact to a tenth (hours): "1.5" in API terms, never a float


class CellError(ValueError):
    """A cell that cannot become a value; ``code`` is stable, ``message`` Korean."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class CellSpec:
    """How one column's cells read and write."""

    kind: FieldKind
    unit: str = "원"
    labels: tuple[tuple[str, str], ...] = ()  # (enum name, Korean label)
    required: bool = False


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def parse(spec: CellSpec, raw: object) -> object:
    """The API-term value of a cell read with valueRenderOption=FORMULA (numbers stay numbers)."""
    if is_blank(raw):
        if spec.required:
            raise CellError("REQUIRED", "값을 입력해야 합니다.")
        return _blank(spec.kind)
    return _PARSERS[spec.kind](spec, raw)


def format_value(spec: CellSpec, value: object) -> object:
    """What to write RAW for a value: numbers as numbers, everything else as text."""
    if value is None:
        return ""
    if spec.kind is FieldKind.WON:
        return _format_won(int(value), WON_UNITS[spec.unit])  # type: ignore[call-overload]
    if spec.kind is FieldKind.ENUM:
        return dict(spec.labels).get(str(value), str(value))
    if spec.kind is FieldKind.INT:
        return int(value)  # type: ignore[call-overload]
    if spec.kind is FieldKind.DATE:
        return str(value)
    if spec.kind is FieldKind.TENTHS:
        return _format_tenths(Decimal(str(value)))
    return str(value)


def _blank(kind: FieldKind) -> object:
    if kind in (FieldKind.INT, FieldKind.WON):
        return 0
    if kind is FieldKind.TENTHS:
        return "0.0"
    if kind in (FieldKind.ENUM, FieldKind.DATE, FieldKind.CODE):
        return None  # a blank reference (e.g. 학교코드 of a city-wide program) is "none"
    return ""


def _parse_text(spec: CellSpec, raw: object) -> object:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _parse_code(spec: CellSpec, raw: object) -> object:
    # A code typed as a number has lost its leading zeros already; keep what is left as text.
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _parse_text(spec, raw)
    text = str(raw).strip()
    if text.startswith("'"):
        text = text[1:]
    return text


def _number(raw: object, *, unit_suffixes: tuple[str, ...] = ()) -> Decimal:
    if isinstance(raw, bool):
        raise CellError("NOT_A_NUMBER", f"숫자가 아닙니다: {raw}")
    if isinstance(raw, (int, float)):
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    text = normalise(raw).replace(",", "").replace(" ", "")
    for suffix in unit_suffixes:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    text = text.removeprefix("₩").removeprefix("\\")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError("NOT_A_NUMBER", f"숫자가 아닙니다: '{raw}'") from None


def _parse_int(spec: CellSpec, raw: object) -> object:
    number = _number(raw, unit_suffixes=("명", "년", "개"))
    if number != number.to_integral_value():
        raise CellError("NOT_AN_INTEGER", f"정수가 아닙니다: '{raw}'")
    return int(number)


def _parse_won(spec: CellSpec, raw: object) -> object:
    # A typed unit wins over the column's unit: "1,234,000원" in a 천원 column means won.
    factor = WON_UNITS[spec.unit]
    if isinstance(raw, str):
        text = normalise(raw).replace(" ", "")
        for unit in sorted(WON_UNITS, key=len, reverse=True):
            if text.endswith(unit):
                factor = WON_UNITS[unit]
                raw = text[: -len(unit)]
                break
    number = _number(raw) * factor
    if number != number.to_integral_value():
        raise CellError("NOT_WHOLE_WON", f"원 단위 정수가 아닙니다: '{raw}'")
    if number < 0:
        raise CellError("NEGATIVE_AMOUNT", f"금액은 0 이상이어야 합니다: '{raw}'")
    return int(number)


def _format_won(value: int, factor: int) -> object:
    if factor == 1 or value % factor == 0:
        return value // factor
    # Not a whole number of units: a number when a float holds it exactly, else exact text.
    exact = Decimal(value) / factor
    as_float = float(exact)
    return as_float if Decimal(repr(as_float)) == exact else str(exact)


def _parse_enum(spec: CellSpec, raw: object) -> object:
    wanted = normalise(raw)
    for name, label in spec.labels:
        if wanted in (normalise(label), normalise(name)):
            return name
    choices = ", ".join(label for _, label in spec.labels)
    raise CellError("UNKNOWN_LABEL", f"'{raw}'은(는) 올바른 값이 아닙니다. 다음 중 하나: {choices}")


def _parse_date(spec: CellSpec, raw: object) -> object:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return (SHEETS_EPOCH + timedelta(days=int(raw))).isoformat()
    text = str(raw).strip().rstrip(".")
    match = _DOTTED_DATE.match(text)
    if match is None:
        raise CellError("NOT_A_DATE", f"날짜가 아닙니다: '{raw}' (예: 2025. 3. 1. 또는 2025-03-01)")
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        raise CellError("NOT_A_DATE", f"없는 날짜입니다: '{raw}'") from None


def _parse_tenths(spec: CellSpec, raw: object) -> object:
    number = _number(raw, unit_suffixes=("시간",))
    if not number.is_finite() or number != number.quantize(Decimal("0.1")):
        raise CellError("NOT_TENTHS", f"0.1 단위의 숫자가 아닙니다: '{raw}' (예: 1.5)")
    if number < 0:
        raise CellError("NEGATIVE_NUMBER", f"0 이상이어야 합니다: '{raw}'")
    return str(number.quantize(Decimal("0.1")))


def _format_tenths(value: Decimal) -> object:
    # A number when a float reads back as the same tenths (always, for hours), else exact text.
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


_PARSERS = {
    FieldKind.TEXT: _parse_text,
    FieldKind.CODE: _parse_code,
    FieldKind.INT: _parse_int,
    FieldKind.WON: _parse_won,
    FieldKind.ENUM: _parse_enum,
    FieldKind.DATE: _parse_date,
    FieldKind.TENTHS: _parse_tenths,
}
