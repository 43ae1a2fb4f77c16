"""Running the emulator: in a background thread for tests, or as the ``eduhub emulator`` server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

import uvicorn

from .app import build_app
from .emulator import Emulator
from .quota import QuotaLimits


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def require_free_port(host: str, port: int, *, setting: str) -> None:
    """Raise a one-line OSError when ``host:port`` is taken, before a server thread starts.

    Without it uvicorn fails inside its own thread or loop with several tracebacks; people
    starting ``eduhub serve`` twice should read which port and which setting to change.
    """
    with socket.socket() as probe:
        # As uvicorn binds: a port left in TIME_WAIT by a stopped server counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise OSError(
                f"{host}:{port} is already in use; stop the other process or choose another port ({setting})"
            ) from error


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
            build_app(self.emulator), host=host, port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="sheets-emulator", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> EmulatorServer:
        require_free_port(self.host, self.port, setting="EMULATOR_PORT")
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
    quota: QuotaLimits | None = None,
    faults: Sequence[dict[str, Any]] = (),
) -> None:
    """Serve until cancelled; ``seed`` runs once when the persisted store is empty.

    ``quota`` replaces Google's per-minute limits; ``faults`` are rules (checked by
    :mod:`.fault_spec`) active from the first request until cleared through ``/__emulator/``.
    """
    emulator = Emulator(persist_path=persist_path, quota=quota)
    if seed is not None and not emulator.store.spreadsheets:
        seed(emulator)
    for rule in faults:
        emulator.faults.inject(**rule)
    require_free_port(host, port, setting="--port")
    config = uvicorn.Config(build_app(emulator), host=host, port=port, log_level="info", lifespan="off")
    await uvicorn.Server(config).serve()
