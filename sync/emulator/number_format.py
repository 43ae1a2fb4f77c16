"""Rendering numbers as FORMATTED_VALUE: Sheets' automatic format plus the patterns that
USER_ENTERED parsing and ``repeatCell`` set (grouping, decimals, percent, currency, dates)."""

from __future__ import annotations

import re
from typing import Any

from .input_parsing import date_from_serial

_DATE_TOKEN = re.compile(
    r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|M+|\"[^\"]*\"|.", re.IGNORECASE
)
DATE_TYPES = {"DATE", "TIME", "DATE_TIME"}


def automatic(value: float) -> str:
    """Sheets' automatic format: integers plainly, fractions to at most 10 decimals."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e15:
        mantissa, exponent = f"{value:.2E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent)}"
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text if text not in {"-0", ""} else "0"


def render(value: float, number_format: dict[str, Any] | None) -> str:
    """Format ``value`` with a cell's ``numberFormat`` (or the automatic format)."""
    if not number_format or not number_format.get("pattern"):
        kind = (number_format or {}).get("type")
        if kind == "DATE":
            return _date(value, "M/d/yyyy")
        if kind == "PERCENT":
            return _numeric(value, "0.00%")
        return automatic(value)
    pattern = str(number_format["pattern"])
    if number_format.get("type") in DATE_TYPES:
        return _date(value, pattern)
    return _numeric(value, pattern)


def _numeric(value: float, pattern: str) -> str:
    section = pattern.split(";")[0]
    match = re.search(r"[#0,]*[0#](?:\.[0#]+)?", section)
    if not match:
        return automatic(value)
    core = match.group(0)
    prefix = section[: match.start()].replace('"', "")
    suffix = section[match.end() :].replace('"', "")
    if "%" in suffix:
        value *= 100
    decimals = len(core.split(".")[1]) if "." in core else 0
    body = f"{abs(value):,.{decimals}f}" if "," in core else f"{abs(value):.{decimals}f}"
    sign = "-" if value < 0 and float(body.replace(",", "")) != 0 else ""
    return f"{sign}{prefix}{body}{suffix}"


def _date(serial: float, pattern: str) -> str:
    moment = date_from_serial(serial)
    out: list[str] = []
    tokens = _DATE_TOKEN.findall(pattern)
    for position, token in enumerate(tokens):
        lower = token.lower()
        # "m" means minutes right after an hour token or right before seconds, months otherwise.
        previous = next((t.lower() for t in reversed(tokens[:position]) if t.strip(" :.")), "")
        following = next((t.lower() for t in tokens[position + 1 :] if t.strip(" :.")), "")
        is_minute = lower in {"m", "mm"} and (previous.startswith("h") or following.startswith("s"))
        if token.startswith('"'):
            out.append(token.strip('"'))
        elif lower == "yyyy":
            out.append(f"{moment.year:04d}")
        elif lower == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif is_minute:
            out.append(f"{moment.minute:02d}" if lower == "mm" else str(moment.minute))
        elif lower == "mmmm":
            out.append(moment.strftime("%B"))
        elif lower == "mmm":
            out.append(moment.strftime("%b"))
        elif lower == "mm":
            out.append(f"{moment.month:02d}")
        elif lower == "m":
            out.append(str(moment.month))
        elif lower == "dddd":
            out.append(moment.strftime("%A"))
        elif lower == "ddd":
            out.append(moment.strftime("%a"))
        elif lower == "dd":
            out.append(f"{moment.day:02d}")
        elif lower == "d":
            out.append(str(moment.day))
        elif lower == "hh":
            out.append(f"{moment.hour:02d}")
        elif lower == "h":
            out.append(str(moment.hour))
        elif lower == "ss":
            out.append(f"{moment.second:02d}")
        elif lower == "s":
            out.append(str(moment.second))
        else:
            out.append(token)
    return "".join(out)
