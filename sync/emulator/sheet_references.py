"""A renamed sheet's references follow it, as Google rewrites them: in cell formulas and in data
validation conditions (``ONE_OF_RANGE`` ``='학교'!B2:B``, custom formulas).

No recording in the shared fixtures shows a rename beside such a rule, so this follows Google's
documented behaviour (a formula keeps pointing at the same sheet whatever its name) and writes
the new name quoted exactly when Google quotes a range's title (:func:`a1.quote_title`). Text in
string literals (``"학교!A1"``) is left alone, as is a reference to any other sheet.
"""

from __future__ import annotations

import re
from typing import Any

from .a1 import quote_title
from .store import Spreadsheet

_STRING = re.compile(r'"(?:[^"]|"")*"')
# A sheet name before "!": quoted (quotes doubled inside) or a bare word.
_SHEET = re.compile(r"'((?:[^']|'')*)'!|(?<![\w.'])([^\W\d][\w.]*)!")


def rename(spreadsheet: Spreadsheet, old: str, new: str) -> None:
    """Point every formula and validation condition naming sheet ``old`` at ``new``."""
    if old == new:
        return
    for sheet in spreadsheet.sheets:
        for cell in sheet.cells.values():
            value = cell.value or {}
            if "formulaValue" in value:
                value["formulaValue"] = rewrite(str(value["formulaValue"]), old, new)
            condition = (cell.validation or {}).get("condition") or {}
            for item in condition.get("values") or []:
                _rewrite_entered(item, old, new)


def _rewrite_entered(item: dict[str, Any], old: str, new: str) -> None:
    entered = item.get("userEnteredValue")
    if isinstance(entered, str) and entered.startswith("="):
        item["userEnteredValue"] = rewrite(entered, old, new)


def rewrite(formula: str, old: str, new: str) -> str:
    """``formula`` with its references to sheet ``old`` (any case, as Google matches titles) renamed."""
    out, position = [], 0
    for literal in _STRING.finditer(formula):
        out.append(_references(formula[position : literal.start()], old, new))
        out.append(literal.group())
        position = literal.end()
    out.append(_references(formula[position:], old, new))
    return "".join(out)


def _references(text: str, old: str, new: str) -> str:
    def swap(match: re.Match[str]) -> str:
        name = match[1].replace("''", "'") if match[1] is not None else match[2]
        return f"{quote_title(new)}!" if name.casefold() == old.casefold() else match.group()

    return _SHEET.sub(swap, text)
