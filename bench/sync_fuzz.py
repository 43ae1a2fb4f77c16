"""The randomized two-way sync test at a larger size, on SQLite and PostgreSQL, with its figures.

    .venv/bin/python bench/sync_fuzz.py [--seed 20261201] [--steps 5000] [--records 20] [-m postgres]

CI runs the same test with 600 steps over 8 records on each engine (2,000 took 2.5 min an engine
of the 20-minute CI budget). Each run prints, per
engine, the operations by kind, cycles (failed), kills, faults, held requests, conflicts and the
count of every invariant (lost edits, misdirected writes, divergent fields, wrong archives,
duplicate and missing records, open issues, idle cycles asking for more than the Drive version
check, whose retries after an injected fault count as that one request), and
fails if any is not 0. Reproduce a failure with the same seed and sizes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", default="20261201")
    parser.add_argument("--steps", default="5000")
    parser.add_argument("--records", default="20")
    parser.add_argument("-m", dest="marker", default=None, help='pytest marker filter, e.g. "not postgres"')
    args = parser.parse_args()
    env = {
        **os.environ,
        "SYNC_FUZZ_SEED": args.seed,
        "SYNC_FUZZ_STEPS": args.steps,
        "SYNC_FUZZ_RECORDS": args.records,
    }
    command = [sys.executable, "-m", "pytest", "tests/sync/randomized", "-q", "-s", "-p", "no:cacheprovider"]
    if args.marker:
        command += ["-m", args.marker]
    raise SystemExit(subprocess.call(command, env=env))


if __name__ == "__main__":
    main()
