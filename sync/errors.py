"""Errors of the sync package, written out once (httpx-style)."""

from __future__ import annotations


class SheetsConfigurationError(Exception):
    """Neither Google credentials nor an emulator URL is configured, or they are unusable."""
