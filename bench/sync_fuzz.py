"""The randomized sync test at a larger size (CI runs 100 steps over 8 records).

    .venv/bin/python bench/sync_fuzz.py [--seed 20261129] [--steps 600] [--records 40]

Prints pass/fail per engine; reproduce a failure with the same seed and sizes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", default="20261129")
    parser.add_argument("--steps", default="600")
    parser.add_argument("--records", default="40")
    args = parser.parse_args()
    env = {
        **os.environ,
        "SYNC_FUZZ_SEED": args.seed,
        "SYNC_FUZZ_STEPS": args.steps,
        "SYNC_FUZZ_RECORDS": args.records,
    }
    command = [sys.executable, "-m", "pytest", "tests/sync/randomized", "-q", "-s", "-p", "no:cacheprovider"]
    raise SystemExit(subprocess.call(command, env=env))


if __name__ == "__main__":
    main()
