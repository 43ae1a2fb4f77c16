"""Edit-to-screen latency through the sync worker, seen in the real dashboard in headless Chromium.

Starts `eduhub serve` (SQLite, API + worker + Sheets emulator in one process, in-process pub/sub),
opens /dashboard in Debian's Chromium, then changes one budget line's 집행액 cell in the sheet
with gspread and times how long until the 재원별 figure changes on screen:

- baseline: the same change made through the GraphQL mutation (no sheet, no worker)
- webhook: the sheet edit followed by `POST /hooks/sheets` (what the Apps Script trigger does)
- polling: the sheet edit alone; the worker finds it at its next poll (interval below)

Webhook rounds are `--pause` seconds apart: the worker's quota budget (under Google's 60
requests/min) would otherwise dominate. Bounded (each round times out), stops by itself. Usage:
    python bench/edit_to_screen.py [--rounds 10] [--interval 5] [--pause 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page, async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.webhook import SECRET_HEADER
from sync.emulator import SAMPLE_KEY
from sync.emulator.server import free_port
from sync.google_transport import open_client

EDUHUB = str(Path(sys.executable).with_name("eduhub"))
SECRET = "bench-webhook-secret"  # noqa: S105 (a throwaway value for a local server)
FUNDERS = {"하남시": "CITY", "교육지원청": "OFFICE_OF_EDUCATION", "경기도교육청": "PROVINCE", "기타": "OTHER"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ROUND_TIMEOUT_MS = 60_000


def _start(interval: float) -> tuple[subprocess.Popen[bytes], str, str, str]:
    workdir = Path(tempfile.mkdtemp(prefix="eduhub-edit-"))
    port, emulator_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{workdir / 'bench.sqlite3'}",
        "EMULATOR_PORT": str(emulator_port),
        "EMULATOR_PERSIST_PATH": str(workdir / "emulator.json"),
        "SHEETS_WEBHOOK_SECRET": SECRET,
        "SYNC_INTERVAL_SECONDS": str(interval),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("REDIS_URL", "SHEETS_API_URL", "GOOGLE_APPLICATION_CREDENTIALS"):
        env.pop(name, None)
    subprocess.run([EDUHUB, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    token = (
        subprocess.run(
            [EDUHUB, "token", "create", "--role", "staff", "--name", "bench"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    env["LOG_LEVEL"] = "INFO"
    with (workdir / "serve.log").open("wb") as log:
        server = subprocess.Popen([EDUHUB, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    print(f"server log: {workdir / 'serve.log'}")
    return server, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{emulator_port}", token


async def _screen_shows(page: Page, funder: str, executed: int) -> None:
    await page.wait_for_function(
        "([key, want]) => "
        "document.querySelector(`#chart-FUNDER [data-key='${key}']`)?.dataset.executed === want",
        arg=[funder, str(executed)],
        timeout=ROUND_TIMEOUT_MS,
    )


async def _funder_executed(page: Page, funder: str) -> int:
    value = await page.get_attribute(f"#chart-FUNDER [data-key='{funder}']", "data-executed")
    return int(value or 0)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _bench(url: str, emulator_url: str, token: str, args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for _ in range(600):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        sheet = open_client(credentials_file=None, api_url=emulator_url).open_by_key(SAMPLE_KEY)
        tab = sheet.worksheet("예산")
        for _ in range(600):  # the first cycle writes the seeded records into the sheet
            rows = tab.get_all_values()
            if len(rows) > 1:
                break
            await asyncio.sleep(0.2)
        header, row_number = rows[0], len(rows)
        row = rows[-1]
        funder = FUNDERS[row[header.index("재원")]]
        column = header.index("집행액") + 1
        line_key = row[header.index("ID")]
        found = await client.post(
            "/graphql",
            json={"query": "{ budgetLines(first: 1) { edges { node { id executed allocated } } } }"},
            headers={"Authorization": f"Bearer {token}"},
        )
        api_line = found.json()["data"]["budgetLines"]["edges"][0]["node"]

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = await browser.new_page()
            await page.goto(f"{url}/dashboard")
            await page.wait_for_selector("#live[data-state=open]")
            await page.wait_for_selector(f"#chart-FUNDER [data-key='{funder}']")
            results: dict[str, list[float]] = {
                "baseline (mutation)": [],
                "sheet + webhook": [],
                "sheet, polling": [],
            }
            step = [0]

            async def mutation_round() -> float:
                step[0] += 1
                new = (step[0] * 1_000) % max(api_line["allocated"], 1)
                started = time.perf_counter()
                response = await client.post(
                    "/graphql",
                    json={
                        "query": "mutation($i: BudgetLineUpdateInput!) { budgetLineUpdate(input: $i) "
                        "{ budgetLine { funder } userErrors { message } } }",
                        "variables": {"i": {"id": api_line["id"], "executed": new}},
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
                data: dict[str, Any] = response.json()["data"]["budgetLineUpdate"]
                line_funder = data["budgetLine"]["funder"]
                total = await _funder_executed(page, line_funder) - api_line["executed"] + new
                api_line["executed"] = new
                await _screen_shows(page, line_funder, total)
                return time.perf_counter() - started

            async def sheet_round(webhook: bool) -> float:
                step[0] += 1
                before = await _funder_executed(page, funder)
                old = int((tab.cell(row_number, column).value or "0").replace(",", ""))
                new = step[0] * 1_000
                started = time.perf_counter()
                tab.update_cell(row_number, column, str(new))
                if webhook:
                    woke = await client.post("/hooks/sheets", headers={SECRET_HEADER: SECRET})
                    assert woke.status_code == 202, woke.text
                await _screen_shows(page, funder, before - old + new)
                return time.perf_counter() - started

            for _ in range(args.rounds):
                results["baseline (mutation)"].append(await mutation_round())
                results["sheet + webhook"].append(await sheet_round(webhook=True))
                # The worker keeps under Google's 60 requests/min: back-to-back edits every second
                # would measure its quota budget waiting, not the path. People pause between edits.
                await asyncio.sleep(args.pause)
            for _ in range(args.rounds):
                results["sheet, polling"].append(await sheet_round(webhook=False))
            await browser.close()
    print(
        f"edit-to-screen in headless Chromium, `eduhub serve`, poll interval {args.interval:g} s, "
        f"sheet row ID {line_key}"
    )
    print(f"{'path':<22} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} | rounds")
    for name, values in results.items():
        print(
            f"{name:<22} | {_p(values, 0.5):>8.0f} | {_p(values, 0.95):>8.0f} | "
            f"{1000 * max(values):>8.0f} | {len(values)}"
        )
    print(f"target: webhook under 2,000 ms; polling within one interval ({args.interval:g} s) plus one cycle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--pause", type=float, default=4.0, help="seconds between webhook rounds")
    args = parser.parse_args()
    server, url, emulator_url, token = _start(args.interval)
    try:
        asyncio.run(_bench(url, emulator_url, token, args))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
