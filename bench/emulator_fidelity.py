"""Print how many recorded Google request/response pairs the emulator reproduces exactly.

Usage: python bench/emulator_fidelity.py [path/to/fixtures/google-sheets]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync.emulator import fidelity

RECORDED_ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"


def main() -> int:
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures" / "google-sheets"
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    pairs = fidelity.replay_all(folder, account_email=RECORDED_ACCOUNT)
    for pair in pairs:
        if not pair.exact:
            print(f"{pair.recording}#{pair.index} {pair.method} {pair.uri}")
            for difference in pair.differences:
                print(f"    {difference}")
    print(f"{sum(p.exact for p in pairs)} of {len(pairs)} pairs match exactly")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
