"""Text rewriting requests: ``findReplace``, ``trimWhitespace`` and ``textToColumns``."""

from __future__ import annotations

import re
from typing import Any

from .. import grid, values
from ..store import Spreadsheet
from . import targets
from .request_error import RequestError


def _replacement(found: re.Match[str], replacement: str, payload: dict[str, Any]) -> str:
    if not payload.get("searchByRegex"):
        return replacement
    # Regex replacements refer to groups as $1, as Sheets' find-and-replace dialog does.
    return re.sub(r"\$(\d+)", lambda ref: found.group(int(ref.group(1))) or "", replacement)


def find_replace(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    find, replacement = str(payload.get("find", "")), str(payload.get("replacement", ""))
    if not find:
        raise RequestError("find must be set.")
    pattern = find if payload.get("searchByRegex") else re.escape(find)
    if payload.get("matchEntireCell"):
        pattern = f"^(?:{pattern})$"
    try:
        # Sheets' find is case-insensitive unless matchCase is set.
        finder = re.compile(pattern, 0 if payload.get("matchCase") else re.IGNORECASE)
    except re.error:
        raise RequestError(f"Invalid regular expression: {find}") from None
    if "range" in payload:
        scopes = [targets.area(spreadsheet, payload["range"])]
    elif payload.get("allSheets"):
        scopes = [grid.clamp(spreadsheet, s, grid.from_grid_range({})) for s in spreadsheet.sheets]
    else:
        sheet = targets.sheet(spreadsheet, payload.get("sheetId"))
        scopes = [grid.clamp(spreadsheet, sheet, grid.from_grid_range({}))]
    cells = rows = occurrences = 0
    sheets = 0
    for area in scopes:
        changed_rows: set[int] = set()
        for (r, c), cell in sorted(area.sheet.cells.items()):
            if not (area.start_row <= r < area.end_row and area.start_col <= c < area.end_col):
                continue
            searched = {"stringValue", "formulaValue"} if payload.get("includeFormulas") else {"stringValue"}
            key, text = next(iter((cell.value or {}).items()), ("", None))
            if key not in searched or not isinstance(text, str):
                continue
            new_text, count = finder.subn(lambda found: _replacement(found, replacement, payload), text)
            if count:
                cell.value = {key: new_text}
                cells += 1
                occurrences += count
                changed_rows.add(r)
        rows += len(changed_rows)
        sheets += bool(changed_rows)
    if not cells:
        return {}
    return {
        "valuesChanged": cells,
        "rowsChanged": rows,
        "sheetsChanged": sheets,
        "occurrencesChanged": occurrences,
    }


def trim_whitespace(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """Strip the ends of every text cell and squeeze inner runs of whitespace to one space."""
    area = targets.area(spreadsheet, payload.get("range") or {})
    changed = 0
    for (r, c), cell in list(area.sheet.cells.items()):
        if not (area.start_row <= r < area.end_row and area.start_col <= c < area.end_col):
            continue
        text = (cell.value or {}).get("stringValue")
        if not isinstance(text, str):
            continue
        trimmed = " ".join(text.split())
        if trimmed != text:
            # The result stays text even when it now starts with "=" or "+" (Google's rule).
            cell.value = {"stringValue": trimmed} if trimmed else None
            area.sheet.prune(r, c)
            changed += 1
    return {"cellsChangedCount": changed} if changed else {}


_DELIMITERS = {"COMMA": ",", "SEMICOLON": ";", "PERIOD": ".", "SPACE": " "}


def text_to_columns(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    """Split one column of text at a delimiter into the columns to its right, typed as a user would."""
    area = targets.area(spreadsheet, payload.get("source") or {})
    if area.end_col - area.start_col != 1:
        raise RequestError("The source range must span exactly one column.")
    texts: dict[int, str] = {}
    for (r, c), cell in area.sheet.cells.items():
        text = (cell.value or {}).get("stringValue")
        if c == area.start_col and area.start_row <= r < area.end_row and isinstance(text, str):
            texts[r] = text
    kind = payload.get("delimiterType") or "DELIMITER_TYPE_UNSPECIFIED"
    if kind == "CUSTOM":
        delimiter = str(payload.get("delimiter") or "")
    elif kind in _DELIMITERS:
        delimiter = _DELIMITERS[kind]
    else:
        # AUTODETECT (the default): the first of comma, semicolon, space that occurs; a period is
        # never guessed because it is far more often a decimal point.
        delimiter = next((d for d in (",", ";", " ") if any(d in t for t in texts.values())), ",")
    if not delimiter:
        raise RequestError("delimiter must be set when delimiterType is CUSTOM.")
    for r, text in texts.items():
        parts = text.split(delimiter)
        if len(parts) > area.sheet.column_count - area.start_col:
            area.sheet.properties["gridProperties"]["columnCount"] = area.start_col + len(parts)
        values.write(spreadsheet, area.sheet, r, area.start_col, [parts], user_entered=True)
