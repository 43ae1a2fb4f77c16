"""The argument property test at a larger size (CI draws 250 operations per engine).

    .venv/bin/python bench/argument_fuzz.py [--examples 5000] [--engine sqlite|postgres|both]

Runs tests/schema/test_argument_fuzz.py with ARGUMENT_FUZZ_EXAMPLES operations per engine and
prints pass/fail and the time; Hypothesis prints a failing operation and its seed to reproduce.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default="5000")
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    env = {**os.environ, "ARGUMENT_FUZZ_EXAMPLES": args.examples}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/schema/test_argument_fuzz.py",
        "-q",
        "-p",
        "no:cacheprovider",
        "--hypothesis-show-statistics",
    ]
    if args.engine != "both":
        command += ["-k", args.engine]
    started = time.monotonic()
    status = subprocess.call(command, env=env)
    elapsed = time.monotonic() - started
    engines = "SQLite and PostgreSQL" if args.engine == "both" else args.engine
    verdict = "no masked error" if status == 0 else "FAILED"
    print(f"{args.examples} generated operations per engine on {engines}: {verdict} ({elapsed:.0f} s)")
    raise SystemExit(status)


if __name__ == "__main__":
    main()
