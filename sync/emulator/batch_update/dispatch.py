"""The request-kind table and ``apply``, which runs a batch all-or-nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .. import errors
from ..resource import build
from ..store import Spreadsheet
from . import (
    autosize,
    basic_filter,
    cells,
    dimensions,
    merges,
    metadata,
    named_ranges,
    paste,
    protection,
    sheets,
    sorting,
    text,
)
from .request_error import RequestError

Handler = Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]


def _ignore(spreadsheet: Spreadsheet, payload: dict[str, Any]) -> None:
    """Requests that only change presentation the emulator does not model (borders, banding...)."""


HANDLERS: dict[str, Handler] = {
    "addSheet": sheets.add_sheet,
    "deleteSheet": sheets.delete_sheet,
    "duplicateSheet": sheets.duplicate_sheet,
    "updateSheetProperties": sheets.update_sheet_properties,
    "updateSpreadsheetProperties": sheets.update_spreadsheet_properties,
    "insertDimension": dimensions.insert_dimension,
    "appendDimension": dimensions.append_dimension,
    "deleteDimension": dimensions.delete_dimension,
    "moveDimension": dimensions.move_dimension,
    "updateDimensionProperties": dimensions.update_dimension_properties,
    "addDimensionGroup": dimensions.add_dimension_group,
    "deleteDimensionGroup": dimensions.delete_dimension_group,
    "autoResizeDimensions": autosize.auto_resize_dimensions,
    "updateCells": cells.update_cells,
    "repeatCell": cells.repeat_cell,
    "setDataValidation": cells.set_data_validation,
    "mergeCells": merges.merge_cells,
    "unmergeCells": merges.unmerge_cells,
    "sortRange": sorting.sort_range,
    "copyPaste": paste.copy_paste,
    "cutPaste": paste.cut_paste,
    "findReplace": text.find_replace,
    "trimWhitespace": text.trim_whitespace,
    "textToColumns": text.text_to_columns,
    "addNamedRange": named_ranges.add_named_range,
    "deleteNamedRange": named_ranges.delete_named_range,
    "addProtectedRange": protection.add_protected_range,
    "deleteProtectedRange": protection.delete_protected_range,
    "createDeveloperMetadata": metadata.create_developer_metadata,
    "updateDeveloperMetadata": metadata.update_developer_metadata,
    "deleteDeveloperMetadata": metadata.delete_developer_metadata,
    "setBasicFilter": basic_filter.set_basic_filter,
    "clearBasicFilter": basic_filter.clear_basic_filter,
    "updateBorders": _ignore,
    "addConditionalFormatRule": _ignore,
    "deleteConditionalFormatRule": _ignore,
    "addBanding": _ignore,
    "updateEmbeddedObjectPosition": _ignore,
}


def apply(spreadsheet: Spreadsheet, body: dict[str, Any], *, account: str) -> dict[str, Any]:
    """Run every request in order; any failure rolls the whole spreadsheet back.

    ``account`` is the caller, whom Google lists as an editor of every protected range.
    """
    requests = body.get("requests") or []
    snapshot = copy.deepcopy(spreadsheet.to_json())
    replies: list[dict[str, Any]] = []
    try:
        for position, request in enumerate(requests):
            if len(request) != 1:
                raise errors.invalid_argument(f"Invalid requests[{position}]: exactly one kind must be set.")
            kind, payload = next(iter(request.items()))
            function = HANDLERS.get(kind)
            if function is None:
                raise errors.invalid_argument(
                    f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{position}]': "
                    "Cannot find field."
                )
            try:
                reply = function(spreadsheet, payload or {})
            except RequestError as problem:
                raise errors.invalid_argument(f"Invalid requests[{position}].{kind}: {problem}") from None
            replies.append({kind: reply} if reply is not None else {})
    except errors.ApiError:
        restored = Spreadsheet.from_json(snapshot)
        vars(spreadsheet).update(vars(restored))
        raise
    response: dict[str, Any] = {"spreadsheetId": spreadsheet.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        response["updatedSpreadsheet"] = build(spreadsheet, include_grid=False, account=account)
    return response
