"""The mapping file: the shipped default loads; bad files fail with one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.enums import RecordType
from sync.emulator.seed import SAMPLE_KEY, SAMPLE_TABS
from sync.errors import MappingError
from sync.mapping import load


def test_default_mapping_matches_the_sample_spreadsheet() -> None:
    mapping = load()
    sheet = mapping.spreadsheets[0]
    assert sheet.key == SAMPLE_KEY
    assert [t.model for t in sheet.tabs] == [
        RecordType.SCHOOL,
        RecordType.PROGRAM,
        RecordType.BUDGET_LINE,
        RecordType.PARTNER,
        RecordType.PROGRAM_SESSION,
    ]
    for tab in sheet.tabs:
        headers = set(SAMPLE_TABS[tab.name][0])
        assert tab.id_header in headers
        assert {c.header for c in tab.columns} <= headers


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[[spreadsheets]]\nkey="k"\n[[spreadsheets.tabs]]\nname="학교"\nmodel="School"\n'
        'columns=[{field="colour", header="색"}]\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match="colour"):
        load(path)


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="cannot read"):
        load(tmp_path / "absent.toml")


def test_the_session_tab_refuses_personal_columns_and_no_header_it_maps() -> None:
    [tab] = [t for t in load().spreadsheets[0].tabs if t.model is RecordType.PROGRAM_SESSION]
    assert all(tab.refused(text) for text in ["학생 이름", "학생이름", "학번", "보호자 연락처", "ＳＴ 성명"])
    assert not any(tab.refused(name) for column in tab.columns for name in [column.header, *column.aliases])
