"""This API against PostGraphile 5 and a hand-written Starlette + asyncpg endpoint, on PostgreSQL.

    .venv/bin/python bench/api.py [--seconds 10] [--quick] [--scales 1,10] [--connections 8]
                                  [--no-postgraphile] [--keep-databases] [--cases one,FUNDER]

For each scale (50 x scale schools, 10 programs each, 5 budget lines each, fixed seed) it
creates a fresh database with the project's migrations, then starts one server at a time:
`eduhub web` (this API) cold (RESPONSE_CACHE off) and hot (on: repeated identical reads come
from the response cache), the hand-written peer (`bench/apibench/peer.py`) and PostGraphile 5
when it is installed under bench/.peers (see `servers.INSTALL_HINT`). Before timing, every
server answers every case once: the peer must answer this API's exact bytes, PostGraphile the
same data once reshaped (its own field names, BigInt as strings). Then each case runs for
`--seconds` from `--connections` keep-alive connections.

Columns: req/s; p50 and p99 latency; server CPU ms per request (utime + stime of the server
process from /proc, every thread); SQL per request: Query and Execute messages the server sent
to PostgreSQL per request, counted in a separate untimed pass through a proxy
(`bench/apibench/pgcount.py`): every statement counts, BEGIN and COMMIT too, and a pool's
connection reset on release counts one; peak RSS (VmHWM, the most the server process held
since it started, read after each case). Ratios are req/s against PostGraphile 5 and the hand-written peer
of the same case. The client (wrk, one thread, when installed; else an aiohttp client) runs on
the same machine and takes CPU from the servers.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import platform
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repository, not bench/ (bench/api.py != api)

import aiohttp  # noqa: E402
import orjson  # noqa: E402

from bench.apibench import cases as workloads  # noqa: E402
from bench.apibench import data, load, pgcount, servers, wrk  # noqa: E402
from bench.apibench.cases import Case  # noqa: E402
from bench.apibench.servers import Running, Server  # noqa: E402


@dataclass
class Row:
    scale: int
    case: str
    server: str
    result: load.LoadResult | None
    peak_rss: float
    note: str = ""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="time per case and server")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 s per case")
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-postgraphile", action="store_true")
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="drive load with the aiohttp client even when wrk is installed",
    )
    parser.add_argument(
        "--cases", default="", help="comma-separated substrings of case names to run (default: all)"
    )
    args = parser.parse_args()
    if args.quick:
        args.seconds = 1.0
    return args


def headers_for(case: Case, dataset: data.Dataset) -> dict[str, str]:
    token = {"partner": dataset.partner_token, "staff": dataset.staff_token}.get(case.role or "")
    return {"Authorization": f"Bearer {token}"} if token else {}


def bodies_for(case: Case, server: Server, connections: int) -> list[list[bytes]] | None:
    if server.kind == "postgraphile":
        return None if case.pg_bodies is None else [case.pg_bodies(n) for n in range(connections)]
    if server.kind == "postgraphile4":
        return None if case.pg4_bodies is None else [case.pg4_bodies(n) for n in range(connections)]
    return [case.bodies(n) for n in range(connections)]


async def answer(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    async with aiohttp.ClientSession() as session:
        return await load.send(session, url, body, {"Content-Type": "application/json", **headers})


def comparable(server: Server, content: bytes) -> Any:
    parsed = orjson.loads(content)
    return (
        workloads.normalized_postgraphile(parsed["data"]) if server.kind == "postgraphile" else parsed["data"]
    )


async def check(
    running: Running, case: Case, dataset: data.Dataset, reference: dict[str, bytes]
) -> str | None:
    """None when the server's answer equals this API's, else why not (a peer mismatch stops the run)."""
    bodies = bodies_for(case, running.server, 1)
    assert bodies is not None
    status, content = await answer(running.url, bodies[0][0], headers_for(case, dataset))
    if case.mutation:
        await data.reset_lines(dataset)
    if status != 200 or b'"errors"' in content:
        if running.server.kind.startswith("postgraphile"):  # e.g. a relation it does not expose
            message = orjson.loads(content).get("errors", [{}])[0].get("message", "")
            return f"refused: {message}"
        raise SystemExit(f"{running.server.name} answered {status} for {case.name}: {content[:1000]!r}")
    if running.server.kind == "ours":
        reference[case.name] = content
        return None
    expected = reference[case.name]
    if running.server.kind == "peer" and content != expected:
        raise SystemExit(
            f"hand-written answer differs for {case.name}:\n{content[:300]!r}\n{expected[:300]!r}"
        )
    if running.server.kind == "postgraphile4":
        keyed = "PROGRAM" not in case.name
        theirs = workloads.summary_sums(orjson.loads(content)["data"], keyed=keyed)
        if theirs != workloads.summary_sums(orjson.loads(expected)["data"], keyed=keyed):
            return "answer differs: not timed"
        return None
    if comparable(running.server, content) != orjson.loads(expected)["data"]:
        return "answer differs: not timed"
    return None


async def measure(
    running: Running, case: Case, dataset: data.Dataset, args: argparse.Namespace
) -> load.LoadResult:
    bodies = bodies_for(case, running.server, args.connections)
    assert bodies is not None
    headers = headers_for(case, dataset)
    _, drive = wrk.driver(args.python_client)
    await drive(running.url, bodies, headers, seconds=min(1.0, args.seconds / 5), pid=running.pid)  # warm-up
    result = await drive(running.url, bodies, headers, seconds=args.seconds, pid=running.pid)
    if case.mutation:
        await data.reset_lines(dataset)
    return result


async def count_statements(
    server: Server, dataset: data.Dataset, case_list: list[Case], rows: list[Row], logs: Path
) -> None:
    """The untimed pass: the same server again, through the counting proxy, a few requests a case."""
    proxy = pgcount.CountingProxy()
    await proxy.start()
    running = Running(server, replace(dataset, dsn=proxy.dsn(dataset.database)), logs)
    try:
        await running.ready()
        for row, case in zip(rows, case_list, strict=True):
            bodies = bodies_for(case, server, 1)
            if row.result is None or bodies is None:
                continue
            requests = 20 if dataset.scale == 1 else 5
            # One request first: a server's first use of a statement may prepare or introspect.
            await load.sequential(running.url, bodies[0], headers_for(case, dataset), 1)
            before = proxy.count
            await load.sequential(running.url, bodies[0], headers_for(case, dataset), requests)
            row.result.statements = (proxy.count - before) / requests
            if case.mutation:
                await data.reset_lines(dataset)
    finally:
        running.stop()
        await proxy.stop()


async def run_server(
    server: Server,
    dataset: data.Dataset,
    case_list: list[Case],
    args: argparse.Namespace,
    reference: dict[str, bytes],
    logs: Path,
) -> list[Row]:
    running = Running(server, dataset, logs)
    rows: list[Row] = []
    try:
        await running.ready()
        notes = {}
        for case in case_list:
            if bodies_for(case, server, 1) is None:
                notes[case.name] = "no such query"
            else:
                notes[case.name] = await check(running, case, dataset, reference) or ""
        for case in case_list:
            result = None if notes[case.name] else await measure(running, case, dataset, args)
            rows.append(
                Row(
                    dataset.scale,
                    case.name,
                    server.name,
                    result,
                    load.peak_rss_mb(running.pid),
                    notes[case.name],
                )
            )
            print(f"  {server.name:<16} {case.name:<28} {_rate(result)}", flush=True)
    finally:
        running.stop()
    await count_statements(server, dataset, case_list, rows, logs)
    return rows


def _rate(result: load.LoadResult | None) -> str:
    return "-" if result is None else f"{result.rate:,.1f} req/s"


def ratio(rows: list[Row], row: Row, server: str) -> str:
    base = next((r for r in rows if r.scale == row.scale and r.case == row.case and r.server == server), None)
    if row.result is None or base is None or base.result is None or not base.result.rate:
        return "–"
    return f"{row.result.rate / base.result.rate:.2f}x"


def table(rows: list[Row]) -> str:
    head = (
        "| scale | case | server | req/s | p50 ms | p99 ms | CPU ms/req | SQL/req | peak RSS MB "
        "| vs PostGraphile 5 | vs PostGraphile 4 + aggregates | vs hand-written |"
    )
    lines = [head, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        r = row.result
        if r is None:
            figures = f"– ({row.note}) | – | – | – | – | {row.peak_rss:.0f}"
        else:
            figures = (
                f"{r.rate:,.1f} | {1000 * r.p50:.1f} | {1000 * r.p99:.1f} | "
                f"{r.cpu_ms_per_request:.2f} | {r.statements:.1f} | {row.peak_rss:.0f}"
            )
            if r.errors:
                figures += f" ({r.errors} errors)"
        lines.append(
            f"| {row.scale} | {row.case} | {row.server} | {figures} | "
            f"{ratio(rows, row, servers.POSTGRAPHILE.name)} | "
            f"{ratio(rows, row, servers.POSTGRAPHILE_4.name)} | "
            f"{ratio(rows, row, servers.HAND_WRITTEN.name)} |"
        )
    return "\n".join(lines)


async def main() -> None:
    args = parse_args()
    server_list = [servers.THIS_API, servers.THIS_API_HOT, servers.HAND_WRITTEN]
    if not args.no_postgraphile:
        if servers.postgraphile_available():
            server_list.append(servers.POSTGRAPHILE)
        else:
            print(f"PostGraphile 5 not installed, hand-written peer only: {servers.INSTALL_HINT}")
        if servers.postgraphile_4_available():
            server_list.append(servers.POSTGRAPHILE_4)
        else:
            print(f"PostGraphile 4 + pg-aggregates not installed: {servers.INSTALL_HINT_4}")
    if not wrk.available():
        print(
            f"wrk not installed, the Python client drives the load and caps fast servers: {wrk.INSTALL_HINT}"
        )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="eduhub-bench-api-") as folder:
        for scale in (int(s) for s in args.scales.split(",")):
            print(f"scale {scale}: loading {data.SCHOOLS_PER_SCALE * scale} schools ...", flush=True)
            dataset = await data.create(scale, connections=args.connections)
            case_list = workloads.cases(dataset, nested_only=scale > 1)
            if args.cases:
                wanted = [w.strip() for w in args.cases.split(",") if w.strip()]
                case_list = [c for c in case_list if any(w in c.name for w in wanted)]
            reference: dict[str, bytes] = {}
            for server in server_list:
                rows += await run_server(server, dataset, case_list, args, reference, Path(folder))
            if not args.keep_databases:
                await data.admin(f'DROP DATABASE IF EXISTS "{dataset.database}" WITH (FORCE)')
    cpu = _cpu_model()
    client, _ = wrk.driver(args.python_client)
    print(
        f"\n{args.seconds:g} s per case, {args.connections} connections from {client}, "
        f"{platform.node()}: {cpu}, "
        f"PostgreSQL on the same machine; hot = RESPONSE_CACHE on (repeated identical reads)\n"
    )
    print(table(rows))


def _cpu_model() -> str:
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        names = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
        return f"{len(names)} x {names[0]}" if names else "unknown CPU"
    return "unknown CPU"


if __name__ == "__main__":
    asyncio.run(main())
