"""Running the emulator: in a background thread for tests, or as the ``eduhub emulator`` server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

import uvicorn

from .emulator import Emulator


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class EmulatorServer:
    """Serve an :class:`Emulator` with uvicorn in a daemon thread.

    Example::

        with EmulatorServer() as server:
            client = open_client(credentials_file=None, api_url=server.url)
    """

    def __init__(
        self, emulator: Emulator | None = None, *, host: str = "127.0.0.1", port: int | None = None
    ) -> None:
        self.emulator = emulator or Emulator()
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            self.emulator.app, host=host, port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="sheets-emulator", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> EmulatorServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the Sheets emulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


async def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8085,
    persist_path: str | None = None,
    seed: Callable[[Emulator], None] | None = None,
) -> None:
    """Serve until cancelled; ``seed`` runs once when the persisted store is empty."""
    emulator = Emulator(persist_path=persist_path)
    if seed is not None and not emulator.store.spreadsheets:
        seed(emulator)
    config = uvicorn.Config(emulator.app, host=host, port=port, log_level="info", lifespan="off")
    await uvicorn.Server(config).serve()
