"""Developer metadata requests: create, update and delete, each validated as Google documents.

Stored metadata is kept in the shape Google answers with (``locationType`` filled in, a
dimensionRange's ``sheetId`` 0 left out as a proto default), so every reader can hand it out as is.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import data_filters, errors, fields
from ..store import Spreadsheet, new_numeric_id
from . import targets
from .request_error import RequestError

_VISIBILITIES = {"DOCUMENT", "PROJECT"}
_LOCATION_KINDS = ("spreadsheet", "sheetId", "dimensionRange")
# ``*`` names these; metadataId is the metadata's identity and is never rewritten.
_UPDATABLE = ("metadataKey", "metadataValue", "location", "visibility")


def _location(spreadsheet: Spreadsheet, given: dict[str, Any]) -> dict[str, Any]:
    """A validated, normalized DeveloperMetadataLocation (``locationType`` is read-only input)."""
    kinds = [kind for kind in _LOCATION_KINDS if kind in given]
    if len(kinds) > 1:
        raise RequestError(f"Oneof field 'location' is already set. Cannot set '{kinds[1]}'.")
    if not kinds or kinds == ["spreadsheet"]:
        # An empty location names nothing narrower than the spreadsheet.
        return {"locationType": "SPREADSHEET", "spreadsheet": True}
    if kinds == ["sheetId"]:
        sheet = targets.sheet(spreadsheet, given["sheetId"])
        return {"locationType": "SHEET", "sheetId": sheet.sheet_id}
    span = given["dimensionRange"] or {}
    sheet = targets.sheet(spreadsheet, span.get("sheetId"))
    dimension = span.get("dimension")
    if dimension not in {"ROWS", "COLUMNS"}:
        raise RequestError(
            "The dimensionRange of developer metadata must have a dimension (ROWS or COLUMNS)."
        )
    if "startIndex" not in span or "endIndex" not in span:
        raise RequestError("The dimensionRange of developer metadata cannot be unbounded.")
    start, end = int(span["startIndex"]), int(span["endIndex"])
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if start < 0 or end <= start or end > size:
        raise RequestError(
            f"The dimensionRange [{start}, {end}) of developer metadata must be within the grid "
            f"(0 to {size} {dimension.lower()})."
        )
    normalized: dict[str, Any] = {"dimension": dimension, "startIndex": start, "endIndex": end}
    if sheet.sheet_id:
        normalized = {"sheetId": sheet.sheet_id, **normalized}
    return {"locationType": "ROW" if dimension == "ROWS" else "COLUMN", "dimensionRange": normalized}


def _check_key(key: Any) -> None:
    if not key:
        raise RequestError("Developer metadata must always have a key specified.")


def _check_visibility(visibility: Any) -> None:
    if visibility not in _VISIBILITIES:
        raise RequestError(
            "Developer metadata must always have a visibility specified (DOCUMENT or PROJECT)."
        )


class _UsedIds:
    """The ids of the metadata list last created into.

    A batch anchoring 10,000 rows would otherwise gather every id 10,000 times. The set stays
    right while the list is the same object with the same length: create only appends to it,
    and every other change to the metadata builds a new list.
    """

    def __init__(self) -> None:
        self._list: list[dict[str, Any]] | None = None
        self._ids: set[int] = set()

    def of(self, spreadsheet: Spreadsheet) -> set[int]:
        current = spreadsheet.developer_metadata
        if self._list is not current or len(self._ids) != len(current):
            self._list, self._ids = current, {m["metadataId"] for m in current}
        return self._ids

    def append(self, spreadsheet: Spreadsheet, metadata: dict[str, Any]) -> None:
        """Add ``metadata`` to the spreadsheet and to the set, keeping the set right."""
        used = self.of(spreadsheet)
        spreadsheet.developer_metadata.append(metadata)
        used.add(metadata["metadataId"])


_USED = _UsedIds()


def _new_id(spreadsheet: Spreadsheet, given: Any) -> int:
    used = _USED.of(spreadsheet)
    if not given:  # 0 is proto3's "not set": Google picks one
        fresh = new_numeric_id()
        while fresh in used:
            fresh = new_numeric_id()
        return fresh
    metadata_id = int(given)
    if metadata_id <= 0:
        raise RequestError(f"The metadataId must be positive, but was {metadata_id}.")
    if metadata_id in used:
        raise RequestError(f"Developer metadata with id {metadata_id} already exists.")
    return metadata_id


def create_developer_metadata(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    given = payload.get("developerMetadata") or {}
    _check_key(given.get("metadataKey"))
    _check_visibility(given.get("visibility"))
    metadata: dict[str, Any] = {
        "metadataId": _new_id(spreadsheet, given.get("metadataId")),
        "metadataKey": given["metadataKey"],
    }
    if given.get("metadataValue"):
        metadata["metadataValue"] = given["metadataValue"]
    metadata["location"] = _location(spreadsheet, given.get("location") or {})
    metadata["visibility"] = given["visibility"]
    _USED.append(spreadsheet, metadata)
    return {"developerMetadata": _copied(metadata)}


def _copied(metadata: dict[str, Any]) -> dict[str, Any]:
    # copy.deepcopy of 10,000 replies took longer than creating the metadata.
    location = dict(metadata["location"])
    if "dimensionRange" in location:
        location["dimensionRange"] = dict(location["dimensionRange"])
    return {**metadata, "location": location}


def _update_paths(mask: str) -> list[str]:
    paths = fields.parse(mask)
    if not paths:
        raise RequestError("At least one field must be updated, but 'fields' is empty.")
    if any(path == ("*",) for path in paths):
        return list(_UPDATABLE)
    names = []
    for path in paths:
        # location is a oneof: naming any part of it replaces the whole location.
        if path[0] not in _UPDATABLE:
            raise RequestError(f"Developer metadata field '{'.'.join(path)}' cannot be updated.")
        if path[0] not in names:
            names.append(path[0])
    return names


def update_developer_metadata(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """Rewrite the masked fields of every metadata the filters match.

    Matching nothing is not an error: Google documents none, and a caller that updates by key
    must not fail because another writer deleted the rows first.
    """
    filters = payload.get("dataFilters") or []
    if not filters:
        raise RequestError("At least one data filter must be specified.")
    names = _update_paths(payload.get("fields") or "")
    given = payload.get("developerMetadata") or {}
    new: dict[str, Any] = {}
    for name in names:
        if name == "metadataKey":
            _check_key(given.get(name))
        if name == "visibility":
            _check_visibility(given.get(name))
        new[name] = _location(spreadsheet, given.get(name) or {}) if name == "location" else given.get(name)
    updated = []
    for metadata in _matched(spreadsheet, filters):
        for name, value in new.items():
            if value in (None, ""):
                metadata.pop(name, None)  # metadataValue "" reads back as absent (proto3)
            else:
                metadata[name] = copy.deepcopy(value)
        updated.append(copy.deepcopy(metadata))
    return {"developerMetadata": updated} if updated else {}


def delete_developer_metadata(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """Delete what the filter matches; matching nothing deletes nothing (no error documented)."""
    doomed = _matched(spreadsheet, [payload.get("dataFilter") or {}])
    ids = {m["metadataId"] for m in doomed}
    spreadsheet.developer_metadata = [m for m in spreadsheet.developer_metadata if m["metadataId"] not in ids]
    return {"deletedDeveloperMetadata": copy.deepcopy(doomed)} if doomed else {}


def _matched(spreadsheet: Spreadsheet, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The live metadata any filter matches, each once, in creation order."""
    try:
        matcher = data_filters.Matcher(spreadsheet)
        ids = {m["metadataId"] for f in filters for m in matcher.metadata(f)}
    except errors.ApiError as problem:  # a bad lookup or range is this request's own mistake
        raise RequestError(str(problem)) from None
    return [m for m in spreadsheet.developer_metadata if m["metadataId"] in ids]
