"""A mixed load against `eduhub web` on PostgreSQL, then the invariants no load may break.

    .venv/bin/python bench/load.py [--clients 32] [--seconds 60] [--write-share 0.3]
                                   [--hot-lines 8] [--webs 1] [--keep-database]

Creates a fresh PostgreSQL database (TEST_POSTGRES_ADMIN_DSN, default the local server),
migrates and seeds it, makes a staff and a partner token, starts `--webs` `eduhub web`
processes and runs `--clients` clients for `--seconds`: reads (schools, budgetSummary, budget
lines, a line's history) and staff writes (budgetLineUpdate of `allocated` and/or `executed`
on a few hot lines, so writers collide). Every value written is unique, so each acknowledged
write can be found again. At the end it checks:

1. no acknowledged change lost: every successful mutation's value is in the row, or a later
   event on the same line replaced it;
2. replaying the change stream (CREATE values, then every UPDATE) gives the table;
3. every record's history chains: each event's old value is the value the previous one set;
4. no 5xx.

Prints throughput, p50/p99 per kind, error counts and the invariants; exits 1 if one fails.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from sync.emulator.server import free_port

EDUHUB = str(Path(sys.executable).with_name("eduhub"))
ADMIN_DSN = os.environ.get("TEST_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")

READS: dict[str, tuple[str, dict[str, Any]]] = {
    "schools": ("query LoadSchools { schools(first: 20) { totalCount nodes { code name students } } }", {}),
    "summary": (
        "query LoadSummary { budgetSummary(groupBy: [FUNDER, FISCAL_YEAR]) "
        "{ allocated executed executionRate } }",
        {},
    ),
    "lines": (
        "query LoadLines($after: String) { budgetLines(first: 20, after: $after) "
        "{ totalCount nodes { id allocated executed } } }",
        {},
    ),
}
HISTORY = "query LoadHistory($id: ID!) { history(recordId: $id, first: 5) { totalCount } }"
UPDATE = """mutation LoadUpdate($input: BudgetLineUpdateInput!) {
  budgetLineUpdate(input: $input) { budgetLine { id allocated executed } userErrors { field code } } }"""


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    user_errors: collections.Counter[str] = field(default_factory=collections.Counter)
    graphql_errors: collections.Counter[str] = field(default_factory=collections.Counter)
    transport_errors: collections.Counter[str] = field(default_factory=collections.Counter)
    # (line pk, field, value) of every acknowledged write
    acknowledged: list[tuple[int, str, int]] = field(default_factory=list)


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([EDUHUB, *args], env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"eduhub {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _start_web(env: dict[str, str], port: int, logs: Path) -> subprocess.Popen[bytes]:
    with (logs / f"web-{port}.log").open("wb") as log:
        return subprocess.Popen([EDUHUB, "web", "--port", str(port)], env=env, stdout=log, stderr=log)


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _healthy(url: str) -> None:
    async with httpx.AsyncClient(base_url=url) as client:
        for _ in range(600):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"{url} never became healthy")


def _global_id(pk: int) -> str:
    import base64

    return base64.b64encode(f"BudgetLine:{pk}".encode()).decode()


class Values:
    """Unique amounts: allocated in [1e12, 2e12), executed below 1e12, so executed <= allocated."""

    def __init__(self) -> None:
        self._next = itertools.count(1)

    def allocated(self) -> int:
        return 1_000_000_000_000 + next(self._next)

    def executed(self) -> int:
        return next(self._next)


async def _client(
    number: int,
    urls: list[str],
    tokens: dict[str, str],
    hot: list[int],
    lines: list[int],
    args: argparse.Namespace,
    deadline: float,
    tally: Tally,
    values: Values,
) -> None:
    rng = random.Random(number)
    url = urls[number % len(urls)]
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while time.monotonic() < deadline:
            if rng.random() < args.write_share:
                kind, token = "write", tokens["staff"]
                line = rng.choice(hot)
                change: dict[str, Any] = {}
                roll = rng.random()
                if roll < 0.4:
                    change["allocated"] = values.allocated()
                elif roll < 0.8:
                    change["executed"] = values.executed()
                else:
                    change = {"allocated": values.allocated(), "executed": values.executed()}
                body: dict[str, Any] = {
                    "query": UPDATE,
                    "variables": {"input": {"id": _global_id(line), **change}},
                }
            else:
                token = tokens["partner"] if rng.random() < 0.5 else tokens["staff"]
                kind = rng.choice([*READS, "history"])
                if kind == "history":
                    body = {"query": HISTORY, "variables": {"id": _global_id(rng.choice(lines))}}
                else:
                    query, variables = READS[kind]
                    body = {"query": query, "variables": variables}
            started = time.perf_counter()
            try:
                response = await client.post(
                    "/graphql", json=body, headers={"Authorization": f"Bearer {token}"}
                )
            except httpx.TransportError as error:
                tally.transport_errors[type(error).__name__] += 1
                continue
            tally.latencies[kind].append(time.perf_counter() - started)
            tally.statuses[response.status_code] += 1
            if response.status_code != 200:
                continue
            result = response.json()
            for failure in result.get("errors") or []:
                code = failure.get("extensions", {}).get("code", failure.get("message"))
                tally.graphql_errors[str(code)] += 1
            if kind == "write" and result.get("data"):
                payload = result["data"]["budgetLineUpdate"]
                for user_error in payload["userErrors"]:
                    tally.user_errors[user_error["code"]] += 1
                if not payload["userErrors"]:
                    tally.acknowledged.extend((line, name, value) for name, value in change.items())


# --- invariants -----------------------------------------------------------------------------

LINE_FIELDS = ("program_code", "fiscal_year", "funder", "allocated", "executed", "note")


async def _read_state(database_url: str) -> tuple[dict[int, dict[str, Any]], list[asyncpg.Record]]:
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await connection.fetch(
            "SELECT b.id, p.code AS program_code, b.fiscal_year, b.funder, b.allocated, b.executed, b.note,"
            " b.archived_at IS NOT NULL AS archived FROM budget_line b JOIN program p ON p.id = b.program_id"
        )
        events = await connection.fetch(
            "SELECT id, record_id, action, changes FROM change_event"
            " WHERE record_type = 'BudgetLine' ORDER BY id"
        )
    finally:
        await connection.close()
    table = {row["id"]: {**{f: row[f] for f in LINE_FIELDS}, "archived": row["archived"]} for row in rows}
    return table, events


def _check(table: dict[int, dict[str, Any]], events: list[asyncpg.Record], tally: Tally) -> dict[str, Any]:
    replayed: dict[int, dict[str, Any]] = {}
    broken_chains: list[str] = []
    set_by: dict[tuple[int, str, Any], int] = {}  # (line, field, new value) -> event id
    changed_after: dict[tuple[int, str], list[int]] = collections.defaultdict(list)
    for event in events:
        changes = orjson.loads(event["changes"]) if isinstance(event["changes"], str) else event["changes"]
        line, action = event["record_id"], event["action"]
        if action == "CREATE":
            replayed[line] = {name: new for name, (_, new) in changes.items()}
            replayed[line]["archived"] = False
        elif action in ("ARCHIVE", "RESTORE"):
            replayed[line]["archived"] = action == "ARCHIVE"
        state = replayed.setdefault(line, {})
        for name, (old, new) in changes.items():
            if action == "UPDATE":
                if state.get(name) != old:
                    broken_chains.append(
                        f"line {line} event {event['id']}: {name} old {old!r} != {state.get(name)!r}"
                    )
                state[name] = new
            set_by[(line, name, new)] = event["id"]
            changed_after[(line, name)].append(event["id"])
    mismatched = [
        line
        for line, row in table.items()
        if {f: replayed.get(line, {}).get(f) for f in (*LINE_FIELDS, "archived")} != row
    ]
    lost = []
    for line, name, value in tally.acknowledged:
        if table[line][name] == value:
            continue
        own = set_by.get((line, name, value))
        if own is None or not any(later > own for later in changed_after[(line, name)]):
            lost.append((line, name, value))
    return {
        "acknowledged writes (field values)": len(tally.acknowledged),
        "lost acknowledged changes": len(lost),
        "lines whose replayed stream differs from the table": len(mismatched),
        "broken history chains": len(broken_chains),
        "5xx responses": sum(n for status, n in tally.statuses.items() if status >= 500),
        "_details": {"lost": lost[:5], "mismatched": mismatched[:5], "chains": broken_chains[:5]},
    }


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _report(tally: Tally, seconds: float, invariants: dict[str, Any], args: argparse.Namespace) -> bool:
    total = sum(len(v) for v in tally.latencies.values())
    print(
        f"\n== {args.clients} clients, {seconds:.1f} s, {args.webs} web process(es),"
        f" write share {args.write_share}"
    )
    print(f"throughput: {total / seconds:,.0f} requests/s ({total:,} requests)")
    print(f"{'kind':<10}{'count':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for kind, latencies in sorted(tally.latencies.items()):
        print(
            f"{kind:<10}{len(latencies):>9,}{len(latencies) / seconds:>9,.0f}"
            f"{statistics.median(latencies) * 1000:>9.1f}{_percentile(latencies, 0.99) * 1000:>9.1f}"
        )
    print(f"HTTP statuses: {dict(sorted(tally.statuses.items()))}")
    print(f"transport errors: {dict(tally.transport_errors) or 0}")
    print(f"GraphQL errors: {dict(tally.graphql_errors) or 0}")
    print(f"userErrors (refused writes): {dict(tally.user_errors) or 0}")
    details = invariants.pop("_details")
    ok = all(value == 0 for name, value in invariants.items() if not name.startswith("acknowledged"))
    ok = ok and not tally.transport_errors and not tally.graphql_errors
    for name, value in invariants.items():
        print(f"  {name}: {value}")
    print("invariants:", "PASS" if ok else f"FAIL {details}")
    return ok


async def main(args: argparse.Namespace) -> bool:
    name = f"eduhub_load_{uuid.uuid4().hex[:8]}"
    await _admin(f'CREATE DATABASE "{name}"')
    database_url = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1) + "/" + name
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SHEETS_API_URL": "http://127.0.0.1:9/",  # no worker runs; `web` never calls it
        "LOG_LEVEL": "WARNING",
        "METRICS_OPERATION_NAMES": "LoadSchools,LoadSummary,LoadLines,LoadHistory,LoadUpdate",
    }
    processes: list[subprocess.Popen[bytes]] = []
    logs = Path(tempfile.mkdtemp(prefix="eduhub-load-"))
    try:
        _run(env, "migrate")
        _run(env, "seed")
        tokens = {
            role: _run(env, "token", "create", "--role", role, "--name", f"부하 시험 {role}")
            .strip()
            .splitlines()[-1]
            for role in ("staff", "partner")
        }
        ports = [free_port() for _ in range(args.webs)]
        processes = [_start_web(env, port, logs) for port in ports]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        await asyncio.gather(*(_healthy(url) for url in urls))
        table, _ = await _read_state(database_url)
        lines = sorted(line for line, row in table.items() if not row["archived"])
        hot = random.Random(15).sample(lines, min(args.hot_lines, len(lines)))
        print(f"database {name}: {len(lines)} budget lines, {len(hot)} hot; logs in {logs}")
        tally, values = Tally(), Values()
        started = time.monotonic()
        deadline = started + args.seconds
        await asyncio.gather(
            *(
                _client(i, urls, tokens, hot, lines, args, deadline, tally, values)
                for i in range(args.clients)
            )
        )
        elapsed = time.monotonic() - started
        table, events = await _read_state(database_url)
        return _report(tally, elapsed, _check(table, events, tally), args)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep_database:
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--write-share", type=float, default=0.3, help="share of requests that write")
    parser.add_argument("--hot-lines", type=int, default=8, help="budget lines every writer picks from")
    parser.add_argument("--webs", type=int, default=1, help="eduhub web processes (clients spread over them)")
    parser.add_argument("--keep-database", action="store_true")
    raise SystemExit(0 if asyncio.run(main(parser.parse_args())) else 1)
