"""Replays every recording of real Google traffic against the emulator and compares answers.

Ids Google picked and Drive timestamps are the only fields ignored (see sync/emulator/fidelity.py).
Any other difference must appear in ACCEPTED_DIFFERENCES with its reason, or the test fails.
"""

from __future__ import annotations

import fnmatch

from sync.emulator import fidelity
from tests.sync.emulator.google_recordings import fixtures_or_skip

# The account that made the recordings; Google lists it as the editor of protected ranges.
RECORDED_ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"

# (recording glob, difference glob, reason).  Empty today: every recorded pair matches exactly.
ACCEPTED_DIFFERENCES: list[tuple[str, str, str]] = []


def _accepted(recording: str, difference: str) -> bool:
    return any(
        fnmatch.fnmatch(recording, rec) and fnmatch.fnmatch(difference, diff)
        for rec, diff, _ in ACCEPTED_DIFFERENCES
    )


def test_every_recorded_pair_matches_google() -> None:
    folder = fixtures_or_skip()
    recordings = fidelity.recordings(folder)
    assert recordings, f"no recordings under {folder}"
    pairs = fidelity.replay_all(folder, account_email=RECORDED_ACCOUNT)
    exact = sum(pair.exact for pair in pairs)
    print(f"\nemulator fidelity: {exact} of {len(pairs)} pairs match exactly")
    unexplained = [
        f"{pair.recording}#{pair.index} {pair.method} {pair.uri}: {difference}"
        for pair in pairs
        for difference in pair.differences
        if not _accepted(pair.recording, difference)
    ]
    assert not unexplained, "\n".join(unexplained[:50])
