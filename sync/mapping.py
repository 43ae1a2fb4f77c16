"""The mapping file: spreadsheets, tabs <-> models, headers <-> fields, units, policy.

Loaded from TOML (stdlib ``tomllib``) and validated with pydantic; the default for the sample
spreadsheet ships as ``mapping_default.toml`` next to this module.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator

from models.enums import RecordType
from sync.cells import WON_UNITS, CellSpec, FieldKind
from sync.errors import MappingError
from sync.headers import normalise
from sync.records import KINDS

DEFAULT_MAPPING_FILE = Path(__file__).with_name("mapping_default.toml")


class Direction(StrEnum):
    BOTH = "both"
    TO_SHEET = "to_sheet"
    FROM_SHEET = "from_sheet"


class Side(StrEnum):
    SHEET = "SHEET"
    DATABASE = "DATABASE"


class ColumnMapping(BaseModel):
    field: str
    header: str
    aliases: list[str] = Field(default_factory=list)
    kind: FieldKind = FieldKind.TEXT
    unit: str = "원"
    required: bool = False
    # to_sheet: the worker writes the column and never reads it (불용액, 예산현액); staff edits
    # there are put back. (A whole tab's direction is the tab's `direction`.)
    direction: Direction = Direction.BOTH
    # A sheet made before this column existed may lack it: no MISSING_COLUMN issue then, and the
    # values wait (are written) once staff add the header.
    optional: bool = False

    @model_validator(mode="after")
    def _known_unit(self) -> ColumnMapping:
        if self.unit not in WON_UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; use one of {sorted(WON_UNITS)}")
        if self.direction is Direction.FROM_SHEET:
            raise ValueError(f"column {self.header}: a column is both or to_sheet (from_sheet is per tab)")
        if self.direction is Direction.TO_SHEET and self.required:
            raise ValueError(f"column {self.header}: a to_sheet column cannot be required")
        return self

    @property
    def worker_owned(self) -> bool:
        return self.direction is Direction.TO_SHEET

    def names(self) -> set[str]:
        """Normalised header texts that name this column."""
        return {normalise(self.header), *(normalise(a) for a in self.aliases)}


class TabMapping(BaseModel):
    name: str
    model: RecordType
    id_header: str = "ID"
    direction: Direction = Direction.BOTH
    conflict_policy: Side = Side.SHEET
    columns: list[ColumnMapping]
    # Headers whose columns are never read (a student's name, number or contact: 개인정보보호법);
    # a header containing one of these texts is a sync issue naming it, the rest of the tab syncs.
    refused_headers: list[str] = Field(default_factory=list)

    def refused(self, header: str) -> bool:
        text = normalise(header).replace(" ", "")
        return any(normalise(r).replace(" ", "") in text for r in self.refused_headers if r.strip())

    @model_validator(mode="after")
    def _fields_exist(self) -> TabMapping:
        known = set(KINDS[self.model].fields)
        for column in self.columns:
            if column.field not in known:
                raise ValueError(f"tab {self.name}: {self.model} has no field {column.field!r}")
        return self

    def spec(self, column: ColumnMapping) -> CellSpec:
        labels: tuple[tuple[str, str], ...] = ()
        if column.kind is FieldKind.ENUM:
            labels = tuple((str(k), v) for k, v in KINDS[self.model].labels[column.field].items())
        return CellSpec(column.kind, column.unit, labels, column.required)

    def column(self, field: str) -> ColumnMapping:
        return next(c for c in self.columns if c.field == field)


class SpreadsheetMapping(BaseModel):
    key: str
    title: str = ""
    issues_tab: str = "동기화 오류"
    summary_tab: str | None = "요약"
    # A cycle archiving more than this share of a tab (or more than this many rows) is held.
    delete_guard_share: float = 0.2
    delete_guard_rows: int = 10
    tabs: list[TabMapping]


class Mapping(BaseModel):
    spreadsheets: list[SpreadsheetMapping]


def load(path: str | Path | None = None) -> Mapping:
    """Read and validate a mapping file (the shipped default when ``path`` is None)."""
    target = Path(path) if path else DEFAULT_MAPPING_FILE
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
        return Mapping.model_validate(data)
    except OSError as error:
        raise MappingError(f"cannot read mapping file {target}: {error}") from error
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise MappingError(f"invalid mapping file {target}: {error}") from error
