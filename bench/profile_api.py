"""Where `eduhub web` spends a request: py-spy samples under load, summed into shares.

    .venv/bin/python bench/profile_api.py [--case "one school by code"] [--seconds 8] [--hot]

Loads PostgreSQL at scale 1 (as `bench/api.py` does), starts `eduhub web` cold (RESPONSE_CACHE
off) or hot (`--hot`), drives the case from `--connections` connections and records the server
with `py-spy record` (pip install py-spy) meanwhile. Prints, for each part of the request path,
the share of the server's samples in which one of its frames is on the stack (inclusive, so
shares overlap and do not add up to 100 %), and the top self-time functions. Figures are
printed, never asserted. Set BENCH_DATABASE_PREFIX to keep the database apart from other runs.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repository, not bench/

from bench.apibench import cases as workloads  # noqa: E402
from bench.apibench import data, servers, wrk  # noqa: E402

# part -> substrings of a py-spy frame ("function (path:line)"); first match on a stack counts.
PARTS: dict[str, tuple[str, ...]] = {
    "token check (api.token_verdicts, tokens)": ("token_verdicts.py", "services/tokens.py"),
    "change clocks read": ("change_clock.py",),
    "response cache (api.response_cache)": ("response_cache.py",),
    "parse (graphql-core parser)": ("graphql/language/",),
    "validate (graphql-core validation)": ("graphql/validation/",),
    "document cache hits (schema.document_cache)": ("document_cache.py",),
    "strawberry execute pipeline": ("strawberry/schema/schema.py", "strawberry/extensions/"),
    "execution (graphql-core execute)": ("graphql/execution/",),
    "context building (get_context)": ("get_context", "context_for_request"),
    "metrics (api.metrics, prometheus_client)": ("api/metrics.py", "prometheus_client/"),
    "logging": ("logging/__init__.py",),
    "JSON encode/decode (orjson, process_result)": ("encode_json", "decode_json", "process_result"),
    "Tortoise ORM": ("tortoise/",),
    "asyncpg": ("asyncpg/",),
    "strawberry HTTP view (strawberry/http, asgi)": ("strawberry/http/", "strawberry/asgi/"),
    "Starlette + middleware": ("starlette/", "request_ids.py", "security_headers.py"),
    "uvicorn + httptools": ("uvicorn/",),
}
OUTSIDE = "outside field execution and the database (the fixed cost)"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", default="one school by code")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--hot", action="store_true", help="RESPONSE_CACHE on")
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--raw", type=Path, help="keep py-spy's collapsed stacks in this file")
    return parser.parse_args()


def shares(raw: str) -> tuple[int, dict[str, int], collections.Counter[str]]:
    """(samples, {part: samples with it on the stack}, {leaf function: samples})."""
    total, parts, leaves = 0, dict.fromkeys([*PARTS, OUTSIDE], 0), collections.Counter[str]()
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        if "graphql/execution/" not in stack and "asyncpg/" not in stack:
            parts[OUTSIDE] += count
        for part, needles in PARTS.items():
            if any(needle in stack for needle in needles):
                parts[part] += count
        leaves[stack.rsplit(";", 1)[-1]] += count
    return total, parts, leaves


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def main() -> None:
    args = parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    dataset = await data.create(1, connections=args.connections)
    case = next(c for c in workloads.cases(dataset) if c.name == args.case)
    token = {"partner": dataset.partner_token, "staff": dataset.staff_token}.get(case.role or "")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    server = servers.THIS_API_HOT if args.hot else servers.THIS_API
    with tempfile.TemporaryDirectory(prefix="eduhub-profile-") as folder:
        running = servers.Running(server, dataset, Path(folder))
        try:
            await running.ready()
            bodies = [case.bodies(n) for n in range(args.connections)]
            _, drive = wrk.driver()  # wrk when installed: the client takes little CPU
            await drive(running.url, bodies, headers, seconds=1.0, pid=running.pid)  # warm-up
            out = Path(folder) / "profile.txt"
            command = [spy, "record", "--format", "raw", "--rate", str(args.rate), "--nonblocking"]
            command += ["--duration", str(int(args.seconds)), "-o", str(out), "-p", str(running.pid)]
            recorder = _start(command)
            result = await drive(running.url, bodies, headers, seconds=args.seconds, pid=running.pid)
            recorder.wait(timeout=60)
            raw = out.read_text()
            if args.raw:
                args.raw.write_text(raw)
        finally:
            running.stop()
            if case.mutation:
                await data.reset_lines(dataset)
    await data.admin(f'DROP DATABASE IF EXISTS "{dataset.database}" WITH (FORCE)')
    total, parts, leaves = shares(raw)
    cpu = result.cpu_ms_per_request
    print(
        f"{server.name}, {case.name}: {result.rate:,.0f} req/s, {cpu:.2f} ms CPU/request, {total} samples\n"
    )
    print("| part of the request | share of samples |\n|---|---:|")
    for part, count in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"| {part} | {100 * count / max(total, 1):.1f} % |")
    print("\ntop self time:")
    for leaf, count in leaves.most_common(12):
        print(f"  {100 * count / max(total, 1):5.1f} %  {leaf}")


if __name__ == "__main__":
    asyncio.run(main())
