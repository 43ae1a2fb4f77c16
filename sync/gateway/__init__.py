"""The Sheets gateway: an interface (``base``) and its gspread implementation."""

from sync.gateway.base import SheetsGateway

__all__ = ["SheetsGateway"]
