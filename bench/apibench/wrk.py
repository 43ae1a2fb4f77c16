"""wrk as the load generator of `bench/api.py`: C, one thread, so the client takes little CPU.

The Python client (`bench.apibench.load.run`) spends about as much CPU per request as a hot
cached answer costs the server, on the same two cores, so it caps what a fast server can show.
wrk (Debian's `wrk` package) is what the issue's first figures were measured with; when it is
installed it drives every server, and the Python client is the fallback.

Each connection's cycle of bodies is interleaved into one cycle (connection 1's first body,
connection 2's first body, ...), so eight requests in flight still touch eight different rows.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.apibench.load import LoadResult, cpu_seconds
from bench.apibench.load import run as load_run

WRK = shutil.which("wrk")
INSTALL_HINT = "apt-get install wrk"
_REPORT = "EDUHUB_WRK"
_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}():,_-.![]$@#")


Drive = Callable[..., Awaitable[LoadResult]]


def available() -> bool:
    return WRK is not None


def driver(python_client: bool = False) -> tuple[str, Drive]:
    """The load generator to use and its name for the table: wrk when installed and not refused."""
    if python_client or not available():
        return "aiohttp (Python)", load_run
    return "wrk -t1", run


def lua_string(data: bytes) -> str:
    """`data` as a Lua string literal: plain ASCII as is, every other byte a three-digit decimal
    escape (three digits always: a shorter one would swallow a digit that follows it)."""
    return '"' + "".join(chr(byte) if byte in _SAFE else f"\\{byte:03d}" for byte in data) + '"'


def script(bodies: list[list[bytes]], headers: dict[str, str]) -> str:
    longest = max(len(cycle) for cycle in bodies)
    cycle = [c[turn % len(c)] for turn in range(longest) for c in bodies]
    header_lines = "".join(
        f"wrk.headers[{lua_string(k.encode())}] = {lua_string(v.encode())}\n" for k, v in headers.items()
    )
    return (
        'wrk.method = "POST"\n'
        + header_lines
        + "local bodies = {"
        + ",\n".join(lua_string(body) for body in cycle)
        + "}\n"
        + """local prepared = {}
local turn = 0
init = function(args)
  for i, body in ipairs(bodies) do prepared[i] = wrk.format(nil, nil, nil, body) end
end
request = function()
  turn = turn + 1
  return prepared[(turn - 1) % #prepared + 1]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%s %d %d %d %d %d %d\\n", \""""
        + _REPORT
        + """\", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
    )


async def run(
    url: str, bodies: list[list[bytes]], headers: dict[str, str], *, seconds: float, pid: int
) -> LoadResult:
    """Drive `len(bodies)` connections for `seconds` with wrk; meter the server `pid` over the same time."""
    assert WRK is not None
    headers = {"Content-Type": "application/json", **headers}
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "cases.lua"
        lua.write_text(script(bodies, headers))
        command = [WRK, "-t1", f"-c{len(bodies)}", f"-d{max(1, round(seconds))}s", "--timeout", "120s"]
        before = cpu_seconds(pid)
        process = await asyncio.create_subprocess_exec(
            *command, "-s", str(lua), url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await process.communicate()
        spent = cpu_seconds(pid) - before
    report = [line for line in out.decode().splitlines() if line.startswith(_REPORT)]
    if process.returncode != 0 or not report:
        raise SystemExit(f"wrk failed ({process.returncode}): {err.decode()[-500:]} {out.decode()[-500:]}")
    # `requests` counts every completed response; a non-2xx one (`refused`) is not an answer.
    requests, duration_us, refused, errors, p50_us, p99_us = (int(v) for v in report[0].split()[1:])
    return LoadResult(
        seconds=duration_us / 1e6,
        requests=requests - refused,
        errors=errors,
        cpu_seconds=spent,
        p50=p50_us / 1e6,
        p99=p99_us / 1e6,
    )
