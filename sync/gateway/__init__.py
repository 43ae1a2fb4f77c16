"""The Sheets gateway: an interface (``base``) and its gspread implementation; imports sync and models."""

from sync.gateway.base import SheetsGateway

__all__ = ["SheetsGateway"]
