"""The sync scenario world (emulator + gspread) for service tests that drive a real cycle."""

from tests.sync.conftest import world  # noqa: F401  (a fixture: importing it here makes it visible)
