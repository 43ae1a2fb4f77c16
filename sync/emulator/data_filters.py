"""DataFilters: the one matcher behind every endpoint that takes them.

A DataFilter is one of ``developerMetadataLookup``, ``a1Range`` or ``gridRange``. Endpoints read
it in one of two ways, as Google documents:

- metadata endpoints (``developerMetadata:search``, ``update``/``deleteDeveloperMetadata``)
  want *metadata*: a lookup selects the metadata it matches, a range selects the metadata whose
  location intersects that range;
- value and spreadsheet endpoints (``*ByDataFilter``) want *areas*: a range selects itself, a
  lookup selects the location of each metadata it matches (a ROW metadata the whole row across
  the sheet's columns, a COLUMN metadata the whole column, a SHEET metadata the whole sheet).

Spreadsheet-level metadata has no place in the grid: it intersects nothing but itself ("spreadsheet
metadata cannot intersect any other developer metadata location") and selects no area.
"""

from __future__ import annotations

import copy
from typing import Any

from . import errors, grid
from .store import Spreadsheet

Metadata = dict[str, Any]
DataFilter = dict[str, Any]

_EXACT = "EXACT_LOCATION"
_INTERSECTING = "INTERSECTING_LOCATION"
_DIMENSIONS = {"ROWS": "ROW", "COLUMNS": "COLUMN"}


def location_sheet_id(location: dict[str, Any]) -> int | None:
    """The sheet a SHEET, ROW or COLUMN location is on; None for the spreadsheet itself."""
    if "dimensionRange" in location:
        return int(location["dimensionRange"].get("sheetId", 0))
    if "sheetId" in location:
        return int(location["sheetId"])
    return None


def location_type(location: dict[str, Any]) -> str:
    """SPREADSHEET, SHEET, ROW or COLUMN, from the location's shape (never the caller's word)."""
    if "dimensionRange" in location:
        return _DIMENSIONS.get(str(location["dimensionRange"].get("dimension")), "ROW")
    return "SHEET" if "sheetId" in location else "SPREADSHEET"


def location_area(spreadsheet: Spreadsheet, location: dict[str, Any]) -> grid.Area | None:
    """The cells a location covers, clamped to the grid; None for the spreadsheet or a lost sheet."""
    sheet_id = location_sheet_id(location)
    sheet = None if sheet_id is None else spreadsheet.sheet_by_id(sheet_id)
    if sheet is None:
        return None
    rows, cols = (0, sheet.row_count), (0, sheet.column_count)
    if "dimensionRange" in location:
        span = location["dimensionRange"]
        size = sheet.row_count if span.get("dimension") != "COLUMNS" else sheet.column_count
        # Open ends (allowed in a lookup's location, never stored) run to the edge.
        bounds = (min(int(span.get("startIndex", 0)), size), min(int(span.get("endIndex", size)), size))
        if span.get("dimension") == "COLUMNS":
            cols = bounds
        else:
            rows = bounds
    return grid.Area(spreadsheet, sheet, rows[0], rows[1], cols[0], cols[1])


def _exact_key(spreadsheet: Spreadsheet, location: dict[str, Any]) -> tuple[Any, ...]:
    # Through the area, so a lookup that leaves out a 0 start (a proto default) still matches.
    area = location_area(spreadsheet, location) if "dimensionRange" in location else None
    bounds = area_key(area) if area is not None else ()
    return (location_type(location), location_sheet_id(location), *bounds)


def area_key(area: grid.Area) -> tuple[int, int, int, int, int]:
    """A hashable identity for an area (Area itself compares whole spreadsheets)."""
    return (area.sheet.sheet_id, area.start_row, area.end_row, area.start_col, area.end_col)


def _intersect(first: grid.Area | None, second: grid.Area | None) -> bool:
    if first is None or second is None or first.sheet is not second.sheet:
        return False
    return (
        first.start_row < second.end_row
        and second.start_row < first.end_row
        and first.start_col < second.end_col
        and second.start_col < first.end_col
    )


def _location_matches(
    spreadsheet: Spreadsheet, metadata: Metadata, wanted: dict[str, Any], strategy: str
) -> bool:
    location = metadata["location"]
    if strategy == _EXACT:
        return _exact_key(spreadsheet, location) == _exact_key(spreadsheet, wanted)
    if location_type(wanted) == "SPREADSHEET" or location_type(location) == "SPREADSHEET":
        return location_type(wanted) == location_type(location)
    return _intersect(location_area(spreadsheet, location), location_area(spreadsheet, wanted))


def normalized_lookup(lookup: dict[str, Any]) -> dict[str, Any]:
    """The lookup without proto3 defaults: ``""``, ``0`` and ``*_UNSPECIFIED`` mean "not set"."""
    return {
        key: value
        for key, value in lookup.items()
        if value not in ("", 0, None) and not (isinstance(value, str) and value.endswith("_UNSPECIFIED"))
    }


def check_lookup(lookup: dict[str, Any]) -> None:
    """Refuse the combinations Google's DeveloperMetadataLookup reference rules out."""
    strategy = lookup.get("locationMatchingStrategy")
    kind = lookup.get("locationType")
    wanted = lookup.get("metadataLocation")
    if strategy and wanted is None:
        raise errors.invalid_argument(
            "developerMetadataLookup.locationMatchingStrategy requires a metadataLocation."
        )
    if strategy not in {None, _EXACT, _INTERSECTING}:
        raise errors.invalid_argument(f"Invalid locationMatchingStrategy: {strategy}")
    if kind and strategy == _EXACT:
        raise errors.invalid_argument(
            "developerMetadataLookup.locationType must be left unspecified when "
            "locationMatchingStrategy is EXACT_LOCATION."
        )
    spreadsheet_kind = kind == "SPREADSHEET"
    if spreadsheet_kind and (
        strategy == _INTERSECTING or (wanted and location_type(wanted) != "SPREADSHEET")
    ):
        raise errors.invalid_argument(
            "developerMetadataLookup.locationType cannot be SPREADSHEET for an intersecting or "
            "non-spreadsheet location: spreadsheet metadata cannot intersect any other location."
        )


def matches(spreadsheet: Spreadsheet, metadata: Metadata, lookup: dict[str, Any]) -> bool:
    """True when ``metadata`` has every field the lookup names (an empty lookup matches all)."""
    if "metadataId" in lookup and int(lookup["metadataId"]) != metadata["metadataId"]:
        return False
    for key in ("metadataKey", "metadataValue", "visibility"):
        if key in lookup and lookup[key] != metadata.get(key):
            return False
    kind = lookup.get("locationType")
    if kind and kind != location_type(metadata["location"]):
        return False
    wanted = lookup.get("metadataLocation")
    if wanted is not None:
        strategy = lookup.get("locationMatchingStrategy") or _INTERSECTING
        return _location_matches(spreadsheet, metadata, wanted, strategy)
    return True


def filter_area(spreadsheet: Spreadsheet, data_filter: DataFilter) -> grid.Area | None:
    """The area an ``a1Range`` or ``gridRange`` filter names (None: a gridRange on no sheet)."""
    if "a1Range" in data_filter:
        return grid.area(spreadsheet, str(data_filter["a1Range"]))
    rng = data_filter.get("gridRange") or {}
    sheet = spreadsheet.sheet_by_id(int(rng.get("sheetId", 0)))
    if sheet is None:
        return None
    return grid.clamp(spreadsheet, sheet, grid.from_grid_range(rng))


class Matcher:
    """Matches DataFilters against one spreadsheet as it is now.

    One per request: a write addressed row by row (10,000 filters, each looking up one
    metadataValue) would scan every metadata for every filter, so the lookups are indexed, once,
    by id and by key. Build a new one after metadata changes.
    """

    def __init__(self, spreadsheet: Spreadsheet) -> None:
        self.spreadsheet = spreadsheet
        self._by_id: dict[int, Metadata] | None = None
        self._by_key: dict[tuple[str, ...], list[Metadata]] | None = None

    def _candidates(self, lookup: dict[str, Any]) -> list[Metadata]:
        """The metadata a lookup could match, narrowed by its id or key, in creation order."""
        everything = self.spreadsheet.developer_metadata
        if "metadataId" in lookup:
            if self._by_id is None:
                self._by_id = {m["metadataId"]: m for m in everything}
            found = self._by_id.get(int(lookup["metadataId"]))
            return [] if found is None else [found]
        if "metadataKey" in lookup:
            if self._by_key is None:
                # By key, and by key and value: the sync worker finds each record's row by both.
                self._by_key = {}
                for metadata in everything:
                    key = metadata.get("metadataKey", "")
                    self._by_key.setdefault((key,), []).append(metadata)
                    self._by_key.setdefault((key, metadata.get("metadataValue", "")), []).append(metadata)
            wanted = (
                (lookup["metadataKey"], lookup["metadataValue"])
                if "metadataValue" in lookup
                else (lookup["metadataKey"],)
            )
            return self._by_key.get(wanted, [])
        return everything

    def metadata(self, data_filter: DataFilter) -> list[Metadata]:
        """The metadata one filter selects: by lookup, or by location intersecting its range."""
        spreadsheet = self.spreadsheet
        if "developerMetadataLookup" in data_filter:
            lookup = normalized_lookup(data_filter["developerMetadataLookup"] or {})
            check_lookup(lookup)
            return [m for m in self._candidates(lookup) if matches(spreadsheet, m, lookup)]
        if "a1Range" in data_filter or "gridRange" in data_filter:
            region = filter_area(spreadsheet, data_filter)
            return [
                m
                for m in spreadsheet.developer_metadata
                if _intersect(location_area(spreadsheet, m["location"]), region)
            ]
        # A filter naming no kind at all selects nothing (Google documents no meaning for it).
        return []

    def areas(self, data_filter: DataFilter) -> list[grid.Area]:
        """The grid areas one filter selects, each once, in the order the metadata was made."""
        if "developerMetadataLookup" not in data_filter:
            if "a1Range" in data_filter or "gridRange" in data_filter:
                region = filter_area(self.spreadsheet, data_filter)
                return [] if region is None else [region]
            return []
        areas: dict[tuple[int, ...], grid.Area] = {}
        for metadata in self.metadata(data_filter):
            area = location_area(self.spreadsheet, metadata["location"])
            if area is not None:
                areas.setdefault(area_key(area), area)
        return list(areas.values())

    def matched_metadata(self, filters: list[DataFilter]) -> list[dict[str, Any]]:
        """``MatchedDeveloperMetadata`` entries: each metadata once, with every filter that matched."""
        matched: dict[int, dict[str, Any]] = {}
        for data_filter in filters:
            for metadata in self.metadata(data_filter):
                entry = matched.setdefault(
                    metadata["metadataId"], {"developerMetadata": metadata, "dataFilters": []}
                )
                entry["dataFilters"].append(data_filter)
        return copy.deepcopy(list(matched.values()))
