"""A Redis server of a test process's own: a real `redis-server` on a free port.

Redis pub/sub channels are global to a server (database numbers do not separate them), so two
test processes on one Redis hear each other's change and revocation messages. The suite runs in
parallel workers (pytest-xdist), and each worker gets its own server (`tests/conftest.py`); a
test that stops Redis on purpose starts one more (`tests/api/test_health.py`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass

from sync.emulator.server import free_port


@dataclass
class PrivateRedis:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def start_redis(*, wait_seconds: float = 10.0) -> PrivateRedis:
    """Start `redis-server` (installed by scripts/test) and return once it accepts connections."""
    server = shutil.which("redis-server")
    assert server, "redis-server is installed by scripts/test"
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    redis = PrivateRedis(port, process)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"redis-server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return redis
        except OSError:
            time.sleep(0.05)
    redis.stop()
    raise AssertionError(f"redis-server on port {port} did not start within {wait_seconds} s")
