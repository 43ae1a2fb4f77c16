"""A local stand-in for the Google Sheets API v4 and Drive v3 calls of gspread; imports no other package.

Typical use in a test::

    from sync.emulator import Emulator, EmulatorServer

    with EmulatorServer() as server:
        key = server.emulator.create_spreadsheet("예산", {"학교": [["ID", "학교명"]]})
        client = sync.google_transport.open_client(credentials_file=None, api_url=server.url)
        client.open_by_key(key).worksheet("학교").get_all_values()
"""

from .emulator import Emulator
from .faults import Fault, Faults
from .quota import QuotaLimits
from .seed import SAMPLE_KEY, SEEDS
from .server import EmulatorServer, serve

__all__ = ["SAMPLE_KEY", "SEEDS", "Emulator", "EmulatorServer", "Fault", "Faults", "QuotaLimits", "serve"]
