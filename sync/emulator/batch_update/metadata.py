"""Developer metadata: create, delete, and the search that ``developerMetadata:search`` shares."""

from __future__ import annotations

import copy
from typing import Any

from ..store import Spreadsheet, new_numeric_id


def create_developer_metadata(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    metadata = copy.deepcopy(payload.get("developerMetadata") or {})
    metadata.setdefault("metadataId", new_numeric_id())
    location = metadata.setdefault("location", {"spreadsheet": True})
    if location.get("spreadsheet"):
        location["locationType"] = "SPREADSHEET"
    elif "sheetId" in location:
        location["locationType"] = "SHEET"
    elif "dimensionRange" in location:
        location["locationType"] = (
            "ROW" if location["dimensionRange"].get("dimension") == "ROWS" else "COLUMN"
        )
    metadata.setdefault("visibility", "DOCUMENT")
    spreadsheet.developer_metadata.append(metadata)
    return {"developerMetadata": copy.deepcopy(metadata)}


def delete_developer_metadata(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    matched = search_metadata(spreadsheet, [payload.get("dataFilter") or {}])
    ids = {m["developerMetadata"]["metadataId"] for m in matched}
    spreadsheet.developer_metadata = [m for m in spreadsheet.developer_metadata if m["metadataId"] not in ids]
    return {"deletedDeveloperMetadata": [m["developerMetadata"] for m in matched]}


def search_metadata(spreadsheet: Spreadsheet, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``developerMetadata:search``: metadata matching any DataFilter's developerMetadataLookup."""
    matched: list[dict[str, Any]] = []
    for data_filter in filters:
        lookup = data_filter.get("developerMetadataLookup") or {}
        for metadata in spreadsheet.developer_metadata:
            if "metadataId" in lookup and int(lookup["metadataId"]) != metadata["metadataId"]:
                continue
            if "metadataKey" in lookup and lookup["metadataKey"] != metadata.get("metadataKey"):
                continue
            if "metadataValue" in lookup and lookup["metadataValue"] != metadata.get("metadataValue"):
                continue
            if "visibility" in lookup and lookup["visibility"] != metadata.get("visibility"):
                continue
            if lookup.get("locationType") and lookup["locationType"] != metadata["location"].get(
                "locationType"
            ):
                continue
            if any(m["developerMetadata"] is metadata for m in matched):
                continue
            matched.append({"developerMetadata": metadata, "dataFilters": [data_filter]})
    return copy.deepcopy(matched)
