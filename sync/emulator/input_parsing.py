"""How a typed value becomes a cell value: ``RAW`` keeps it, ``USER_ENTERED`` parses it like the UI.

USER_ENTERED recognises what Sheets' input box recognises for the locales this project meets:
numbers (with thousands separators), percentages, currency, booleans, formulas and dates in
ISO (``2025-03-01``), Korean (``2025. 3. 1.``) and US (``3/1/2025``) order.  A parsed number
keeps the number format the UI would have chosen, so FORMATTED_VALUE reads it back as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_EPOCH = date(1899, 12, 30)
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_KOREAN_DATE = re.compile(r"^(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CURRENCY = {"$": '"$"#,##0.00', "₩": '"₩"#,##0'}


@dataclass(frozen=True)
class Parsed:
    """A cell's ``userEnteredValue`` and the number format the input implies (if any)."""

    value: dict[str, Any] | None
    number_format: dict[str, str] | None = None


def serial_from_date(day: date) -> int:
    """Google's date serial number: days since 1899-12-30."""
    return (day - _EPOCH).days


def date_from_serial(serial: float) -> datetime:
    """Inverse of :func:`serial_from_date`, keeping the time of day."""
    days = int(serial // 1)
    seconds = round((serial - days) * 86400)
    base = datetime.combine(_EPOCH, datetime.min.time())
    from datetime import timedelta

    return base + timedelta(days=days, seconds=seconds)


def parse(raw: Any, *, user_entered: bool) -> Parsed:
    """Turn one JSON value from a values request into a cell value (None clears the cell)."""
    if isinstance(raw, bool):
        return Parsed({"boolValue": raw})
    if isinstance(raw, int | float):
        return Parsed({"numberValue": raw})
    text = str(raw)
    if text == "":
        return Parsed(None)
    if not user_entered:
        return Parsed({"stringValue": text})
    return _parse_user_entered(text)


def _parse_user_entered(text: str) -> Parsed:
    if text.startswith("'"):
        return Parsed({"stringValue": text[1:]})
    if text.startswith("=") and len(text) > 1:
        return Parsed({"formulaValue": text})
    stripped = text.strip()
    if stripped.upper() in {"TRUE", "FALSE"}:
        return Parsed({"boolValue": stripped.upper() == "TRUE"})
    for attempt in (_number, _percent, _currency, _date):
        parsed = attempt(stripped)
        if parsed is not None:
            return parsed
    return Parsed({"stringValue": text})


def _plain_number(text: str) -> tuple[float, bool, int] | None:
    """(value, had thousands separators, decimal places) or None."""
    match = _NUMBER.match(text)
    if not match or not (match.group(2) or match.group(3)):
        return None
    sign, whole, fraction, exponent = match.groups()
    number = float(f"{sign}{whole.replace(',', '') or '0'}.{fraction or '0'}e{exponent or '0'}")
    return number, "," in whole, len(fraction or "")


def _as_json_number(number: float) -> int | float:
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _number(text: str) -> Parsed | None:
    found = _plain_number(text)
    if found is None:
        return None
    number, grouped, decimals = found
    value = {"numberValue": _as_json_number(number)}
    if grouped:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return Parsed(value, {"type": "NUMBER", "pattern": pattern})
    return Parsed(value)


def _percent(text: str) -> Parsed | None:
    if not text.endswith("%"):
        return None
    found = _plain_number(text[:-1].strip())
    if found is None:
        return None
    number, _, decimals = found
    pattern = "0" + ("." + "0" * decimals if decimals else "") + "%"
    value = round(number / 100, decimals + 2 + 10)
    return Parsed({"numberValue": _as_json_number(value)}, {"type": "PERCENT", "pattern": pattern})


def _currency(text: str) -> Parsed | None:
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:]
    if not text or text[0] not in _CURRENCY:
        return None
    found = _plain_number(sign + text[1:].strip())
    if found is None:
        return None
    return Parsed(
        {"numberValue": _as_json_number(found[0])}, {"type": "CURRENCY", "pattern": _CURRENCY[text[0]]}
    )


def _date(text: str) -> Parsed | None:
    try:
        if match := _ISO_DATE.match(text):
            year, month, day, hour, minute, second = match.groups()
            serial: float = serial_from_date(date(int(year), int(month), int(day)))
            if hour is None:
                return Parsed({"numberValue": int(serial)}, {"type": "DATE", "pattern": "yyyy-mm-dd"})
            serial += (int(hour) * 3600 + int(minute) * 60 + int(second or 0)) / 86400
            fmt = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
            return Parsed({"numberValue": serial}, fmt)
        if match := _KOREAN_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
            serial = serial_from_date(date(year, month, day))
            return Parsed({"numberValue": int(serial)}, {"type": "DATE", "pattern": "yyyy. m. d"})
        if match := _US_DATE.match(text):
            month, day, year = (int(g) for g in match.groups())
            serial = serial_from_date(date(year, month, day))
            return Parsed({"numberValue": int(serial)}, {"type": "DATE", "pattern": "M/d/yyyy"})
    except ValueError:
        # 2025-02-30 is not a date; Sheets keeps such input as text.
        return None
    return None
