"""The Drive v3 calls gspread makes: files create/get/list/delete/copy/export, permissions and
the changes feed.  Only spreadsheets live in this Drive."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from . import defaults, errors, fields, values
from .store import Sheet, Spreadsheet, Store, rfc3339

_CLAUSE = re.compile(
    r"""^\s*(?:
      (?P<field>name|mimeType|trashed|modifiedTime|createdTime)\s*(?P<op>=|!=|contains|>=|<=|>|<)\s*(?P<value>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|true|false)
    | (?P<parent>'[^']*'|"[^"]*")\s+in\s+parents
    | parents\s+in\s+(?P<parent2>'[^']*'|"[^"]*")
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def file_resource(spreadsheet: Spreadsheet, *, owner: str) -> dict[str, Any]:
    """Every field this Drive knows about a file; responses are masked down from this."""
    return {
        "kind": "drive#file",
        "id": spreadsheet.id,
        "name": spreadsheet.title,
        "mimeType": defaults.SPREADSHEET_MIME,
        "trashed": spreadsheet.trashed,
        "parents": spreadsheet.parents or ["root"],
        "createdTime": rfc3339(spreadsheet.created),
        "modifiedTime": rfc3339(spreadsheet.modified),
        "version": str(spreadsheet.version),
        "webViewLink": f"https://docs.google.com/spreadsheets/d/{spreadsheet.id}/edit?usp=drivesdk",
        "owners": [{"kind": "drive#user", "emailAddress": owner}],
    }


def masked(resource: dict[str, Any], mask: str | None, default: tuple[str, ...]) -> dict[str, Any]:
    paths: list[fields.Path] = fields.parse(mask) if mask else [(key,) for key in default]
    return fields.select(resource, paths)  # type: ignore[no-any-return]


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1]) if text[:1] in "'\"" else text


def _matcher(query: str) -> list[tuple[str, str, str]]:
    clauses = [
        c for c in re.split(r"\s+and\s+(?=(?:[^'\"]|'[^']*'|\"[^\"]*\")*$)", query.strip(), flags=re.I) if c
    ]
    parsed = []
    for clause in clauses:
        match = _CLAUSE.match(clause)
        if not match:
            raise errors.drive_invalid("Invalid Value")
        if match.group("parent") or match.group("parent2"):
            parsed.append(("parents", "in", _unquote(match.group("parent") or match.group("parent2"))))
        else:
            parsed.append((match.group("field"), match.group("op").lower(), _unquote(match.group("value"))))
    return parsed


def _matches(resource: dict[str, Any], clauses: list[tuple[str, str, str]]) -> bool:
    for field, op, value in clauses:
        if field == "parents":
            if value not in resource["parents"]:
                return False
            continue
        actual = resource[field]
        if field == "trashed":
            actual, value = str(actual).lower(), value.lower()
        if (op == "=" and actual != value) or (op == "!=" and actual == value):
            return False
        if op == "contains" and value.lower() not in str(actual).lower():
            return False
        if (
            op in {">", "<", ">=", "<="}
            and not {">": actual > value, "<": actual < value, ">=": actual >= value, "<=": actual <= value}[
                op
            ]
        ):
            return False
    return True


def list_files(store: Store, params: dict[str, str]) -> dict[str, Any]:
    """``files.list`` with ``q``, ``pageSize``/``pageToken`` paging and a ``fields`` mask."""
    clauses = _matcher(params.get("q", ""))
    if not any(c[0] == "trashed" for c in clauses):
        clauses.append(("trashed", "=", "false"))
    # Newest first, as Drive orders an unsorted listing (later insertion wins a tie).
    ordered = sorted(
        enumerate(store.spreadsheets.values()), key=lambda item: (item[1].created, item[0]), reverse=True
    )
    resources = [
        r for r in (file_resource(s, owner=store.account_email) for _, s in ordered) if _matches(r, clauses)
    ]
    size = max(1, min(int(params.get("pageSize", 100)), 1000))
    offset = int(params.get("pageToken", "0") or 0)
    page = resources[offset : offset + size]
    body: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
    if offset + size < len(resources):
        body["nextPageToken"] = str(offset + size)
    body["files"] = page
    mask = params.get("fields")
    if not mask:
        return {
            **{k: v for k, v in body.items() if k != "files"},
            "files": [masked(f, None, ("kind", "mimeType", "id", "name")) for f in page],
        }
    return _masked_list(body, mask, "files")


def export_csv(spreadsheet: Spreadsheet, sheet: Sheet | None = None) -> str:
    """The first sheet (or ``sheet``) as CSV of formatted values, the way Drive exports it."""
    target = sheet or spreadsheet.sheets[0]
    from . import grid

    area = grid.clamp(spreadsheet, target, grid.from_grid_range({}))
    rows = values.read(area, values.FORMATTED, values.SERIAL)
    width = max((len(r) for r in rows), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row + [""] * (width - len(row)))
    return out.getvalue().removesuffix("\r\n")


def changes(store: Store, token: str, params: dict[str, str]) -> dict[str, Any]:
    """``changes.list`` from a page token (a change id); newest state of each changed file."""
    start = int(token or 1)
    size = max(1, min(int(params.get("pageSize", 100)), 1000))
    pending = [c for c in store.changes if c.change_id >= start]
    page = pending[:size]
    items = []
    for change in page:
        item: dict[str, Any] = {
            "kind": "drive#change",
            "changeType": "file",
            "time": rfc3339(change.time),
            "removed": change.removed or change.file_id not in store.spreadsheets,
            "fileId": change.file_id,
        }
        spreadsheet = store.spreadsheets.get(change.file_id)
        if spreadsheet is not None and not item["removed"]:
            item["file"] = masked(
                file_resource(spreadsheet, owner=store.account_email),
                None,
                ("kind", "mimeType", "id", "name"),
            )
        items.append(item)
    body: dict[str, Any] = {"kind": "drive#changeList"}
    if len(pending) > size:
        body["nextPageToken"] = str(page[-1].change_id + 1)
    else:
        body["newStartPageToken"] = str(store.next_change_id)
    body["changes"] = items
    mask = params.get("fields")
    return _masked_list(body, mask, "changes") if mask else body


def _masked_list(body: dict[str, Any], mask: str, collection: str) -> dict[str, Any]:
    """A list answer under a ``fields`` mask. Drive (unlike Sheets) keeps an empty collection
    the mask names in the answer: ``"files": []``, not nothing."""
    paths = fields.parse(mask)
    selected: dict[str, Any] = fields.select(body, paths)
    if any(path[0] in {collection, "*"} for path in paths):
        selected.setdefault(collection, [])
    return selected
