"""Live updates across processes: two `eduhub web` processes and one `eduhub worker`.

All three share one PostgreSQL database and talk through Redis pub/sub; the worker syncs the
sample spreadsheet in the Sheets emulator (running in this test process). A subscriber on web
process B must see (1) a mutation made on web process A and (2) a sheet edit that the worker
syncs after the webhook on A woke it (the poll interval is far too long to be the reason).
A token revoked with `eduhub token revoke` (a third process) closes its WebSocket on B within a
second, through Redis (B's own periodic token check is set far too long to be the reason).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.exceptions import ConnectionClosed

from api.live.client import GraphQLWebSocket
from api.webhook import SECRET_HEADER
from sync.emulator import SAMPLE_KEY, EmulatorServer
from sync.emulator.seed import SAMPLE_TABS
from sync.emulator.server import free_port
from sync.google_transport import open_client
from tests.process_kit import EDUHUB, fresh_database, run_eduhub

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REDIS_URL = os.environ["TEST_REDIS_URL"]  # set by tests/conftest.py
WEBHOOK_SECRET = "multiprocess-test-secret"
FUNDER_SUMMARY = "subscription { budgetSummary(groupBy: [FUNDER]) { keys { value } executed } }"
READY_SECONDS = 90.0
FUNDER_OF_LABEL = {
    "하남시": "CITY",
    "교육지원청": "OFFICE_OF_EDUCATION",
    "경기도교육청": "PROVINCE",
    "기타": "OTHER",
}


@dataclass
class Cluster:
    web_a: str
    web_b: str
    staff_token: str
    emulator: EmulatorServer
    worker_metrics: str
    env: dict[str, str]


@pytest.fixture
def database_url() -> Iterator[str]:
    with fresh_database("eduhub_live") as url:
        yield url


@pytest.fixture
async def cluster(database_url: str, tmp_path: Path) -> AsyncIterator[Cluster]:
    with EmulatorServer() as emulator:
        emulator.emulator.create_spreadsheet("하남 교육협력 현황", SAMPLE_TABS, key=SAMPLE_KEY)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "SHEETS_API_URL": emulator.url,
            "SHEETS_WEBHOOK_SECRET": WEBHOOK_SECRET,
            # Far longer than the test: only the webhook can explain a prompt second cycle.
            "SYNC_INTERVAL_SECONDS": "3600",
            "EMULATOR_PERSIST_PATH": "",
            # Only the worker reads it: its Prometheus metrics, having no web app of its own.
            "WORKER_METRICS_PORT": str(metrics_port := free_port()),
            # Far longer than the test: only the Redis message can close a revoked token's socket.
            "TOKEN_RECHECK_SECONDS": "3600",
        }
        run_eduhub(env, "migrate")
        run_eduhub(env, "seed")
        staff_token = (
            run_eduhub(env, "token", "create", "--role", "staff", "--name", "다중 프로세스 시험")
            .strip()
            .splitlines()[-1]
        )
        ports = [free_port(), free_port()]
        commands = [["web", "--port", str(ports[0])], ["web", "--port", str(ports[1])], ["worker"]]
        processes = [_start(env, command, tmp_path) for command in commands]
        try:
            urls = [f"http://127.0.0.1:{port}" for port in ports]
            await asyncio.gather(*(_healthy(url) for url in urls))
            # The worker's first cycle writes the seeded records into the empty sheet.
            await _until(lambda: len(emulator.emulator.values(SAMPLE_KEY, "'예산'!A1:G")) > 1)
            metrics = f"http://127.0.0.1:{metrics_port}/metrics"
            yield Cluster(urls[0], urls[1], staff_token, emulator, metrics, env)
        finally:
            for process, _ in processes:
                process.terminate()
            for process, _ in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            # pytest shows this only when the test fails: the processes' own account.
            for _, log in processes:
                print(f"----- {log.name}\n{log.read_text(errors='replace')[-6000:]}")


def _start(env: dict[str, str], command: list[str], logs: Path) -> tuple[subprocess.Popen[bytes], Path]:
    log = logs / f"{'-'.join(command)}.log"
    with log.open("wb") as sink:
        return subprocess.Popen([EDUHUB, *command], env=env, stdout=sink, stderr=sink), log


async def _healthy(url: str) -> None:
    async with httpx.AsyncClient(base_url=url) as client:
        for _ in range(int(READY_SECONDS * 10)):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never became healthy")


async def _until(condition: Any) -> None:
    for _ in range(int(READY_SECONDS * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition never became true")


async def _graphql(url: str, query: str, token: str, **variables: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body: dict[str, Any] = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def _executed_by_funder(data: dict[str, Any]) -> dict[str, int]:
    return {g["keys"][0]["value"]: g["executed"] for g in data["budgetSummary"]}


async def _next_change(ws: GraphQLWebSocket, before: dict[str, int]) -> dict[str, int]:
    """The next pushed figures that differ from `before`."""
    while True:
        figures = _executed_by_funder(await asyncio.wait_for(ws.next("s"), READY_SECONDS))
        if figures != before:
            return figures


async def _toggle_first_line(cluster: Cluster) -> tuple[str, int, int]:
    """A staff mutation on web process A: the first line's executed amount flips; (funder, old, new)."""
    line = (
        await _graphql(
            cluster.web_a,
            "{ budgetLines(first: 1) { edges { node { id funder allocated executed } } } }",
            cluster.staff_token,
        )
    )["budgetLines"]["edges"][0]["node"]
    new_executed = 0 if line["executed"] else line["allocated"]
    result = await _graphql(
        cluster.web_a,
        "mutation($input: BudgetLineUpdateInput!) "
        "{ budgetLineUpdate(input: $input) { userErrors { message } } }",
        cluster.staff_token,
        input={"id": line["id"], "executed": new_executed},
    )
    assert result["budgetLineUpdate"]["userErrors"] == []
    return line["funder"], line["executed"], new_executed


async def _staff_edit_last_line(cluster: Cluster) -> tuple[str, int, int]:
    """Staff flip the last sheet row's executed amount and the webhook on A wakes the worker.

    The last row is a line the mutation above did not touch (no conflict to reason about).
    Returns (funder, old, new).
    """
    sheet = open_client(credentials_file=None, api_url=cluster.emulator.url).open_by_key(SAMPLE_KEY)
    budget_tab = sheet.worksheet("예산")
    rows = budget_tab.get_all_values()
    header, row = rows[0], rows[-1]
    old_executed = int(row[header.index("집행액")].replace(",", ""))
    new_executed = 0 if old_executed else int(row[header.index("배정액")].replace(",", ""))
    budget_tab.update_cell(len(rows), header.index("집행액") + 1, str(new_executed))
    async with httpx.AsyncClient(base_url=cluster.web_a) as client:
        woke = await client.post("/hooks/sheets", headers={SECRET_HEADER: WEBHOOK_SECRET})
    assert woke.status_code == 202
    funder = {
        "하남시": "CITY",
        "교육지원청": "OFFICE_OF_EDUCATION",
        "경기도교육청": "PROVINCE",
        "기타": "OTHER",
    }
    return funder[row[header.index("재원")]], old_executed, new_executed


async def test_mutation_and_sheet_edit_reach_a_subscriber_on_another_process(cluster: Cluster) -> None:
    ws_url = cluster.web_b.replace("http://", "ws://") + "/graphql"
    async with GraphQLWebSocket.connect(ws_url) as subscriber:
        await subscriber.subscribe("s", FUNDER_SUMMARY)
        figures = _executed_by_funder(await asyncio.wait_for(subscriber.next("s"), READY_SECONDS))

        # (1) A mutation on web process A.
        funder, old_executed, new_executed = await _toggle_first_line(cluster)
        pushed = await _next_change(subscriber, figures)
        assert pushed[funder] == figures[funder] - old_executed + new_executed
        figures = pushed

        # (2) A staff member edits an executed amount in the sheet; the webhook on A wakes the worker.
        funder, old_executed, new_sheet_executed = await _staff_edit_last_line(cluster)
        pushed = await _next_change(subscriber, figures)
        assert pushed[funder] == figures[funder] - old_executed + new_sheet_executed

        # The worker counts its cycles and the staff edit it applied on its own metrics port
        # (recorded when the cycle ends, a moment after its commit reached the subscriber).
        async with httpx.AsyncClient() as client:
            for _ in range(200):  # a bound on attempts, not a timing assertion
                metrics = (await client.get(cluster.worker_metrics)).text
                if _sample(metrics, "eduhub_sync_changes_total", kind="sheet->db") >= 1:
                    break
                await asyncio.sleep(0.05)
        assert _sample(metrics, "eduhub_sync_changes_total", kind="sheet->db") >= 1
        assert _sample(metrics, "eduhub_sync_cycles_total", outcome="busy") >= 2
        assert _sample(metrics, "eduhub_sync_last_success_timestamp_seconds") > 0

    # (3) A partner's token is revoked from the command line while its socket on B is open.
    created = run_eduhub(cluster.env, "token", "create", "--role", "partner", "--name", "폐기될 파트너")
    partner_token = created.strip().splitlines()[-1]
    token_id = created.split("#", 1)[1].split()[0]
    async with GraphQLWebSocket.connect(ws_url, token=partner_token) as partner:
        await partner.subscribe("c", "subscription { changes { recordType } }")
        await asyncio.sleep(0.2)  # the subscription is running on B
        await asyncio.to_thread(run_eduhub, cluster.env, "token", "revoke", token_id)
        revoked_at = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(READY_SECONDS):
                await partner.next("c")
        assert time.monotonic() - revoked_at < 1.0
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def _sample(text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include `labels` (Prometheus text format)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


SUMMARY_READ = "{ budgetSummary(groupBy: [FUNDER]) { keys { value } executed } }"


async def test_cached_reads_on_another_process_see_a_write_at_once(cluster: Cluster) -> None:
    # The response cache is on (the default) in both web processes. B answers the same read twice
    # (the second from its cache), then a mutation commits on A: B's very next answer shows it.
    before = _executed_by_funder(await _graphql(cluster.web_b, SUMMARY_READ, cluster.staff_token))
    assert _executed_by_funder(await _graphql(cluster.web_b, SUMMARY_READ, cluster.staff_token)) == before
    funder, old_executed, new_executed = await _toggle_first_line(cluster)
    after = _executed_by_funder(await _graphql(cluster.web_b, SUMMARY_READ, cluster.staff_token))
    assert after[funder] == before[funder] - old_executed + new_executed

    # A sheet edit the worker (a third process) applies: once A shows it, B shows it too.
    funder, old_executed, new_executed = await _staff_edit_last_line(cluster)
    for _ in range(int(READY_SECONDS * 10)):  # a bound on attempts, not a timing assertion
        on_a = _executed_by_funder(await _graphql(cluster.web_a, SUMMARY_READ, cluster.staff_token))
        if on_a != after:
            break
        await asyncio.sleep(0.1)
    assert on_a[funder] == after[funder] - old_executed + new_executed, "the worker never applied it"
    assert _executed_by_funder(await _graphql(cluster.web_b, SUMMARY_READ, cluster.staff_token)) == on_a
