"""The guide's "any gspread program" snippet (docs/emulator.md) runs as written against the emulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sync.emulator import SAMPLE_KEY, EmulatorServer
from sync.emulator.seed import SAMPLE_TABS

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "emulator.md"


def test_the_guide_snippet_reads_a_cell_through_unmodified_gspread() -> None:
    snippet = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)[0]
    with EmulatorServer() as server:
        server.emulator.create_spreadsheet("하남 교육협력 현황", SAMPLE_TABS, key=SAMPLE_KEY)
        first_tab = next(iter(SAMPLE_TABS.values()))
        result = subprocess.run(
            [sys.executable, "-c", snippet],
            env={**os.environ, "SHEETS_EMULATOR_URL": server.url},
            capture_output=True,
            text=True,
            timeout=60,
        )
        counts = server.emulator.request_counts()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(first_tab[0][0])
    assert counts["sheets.spreadsheets.get"] >= 1  # it really went through the emulator
