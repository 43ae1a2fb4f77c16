from __future__ import annotations

from collections.abc import Iterator

import gspread
import pytest

from sync.emulator import EmulatorServer
from sync.google_transport import open_client


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as running:
        yield running


@pytest.fixture
def client(server: EmulatorServer) -> gspread.Client:
    server.emulator.reset()
    return open_client(credentials_file=None, api_url=server.url)
