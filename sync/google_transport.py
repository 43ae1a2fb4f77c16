"""Pointing unmodified gspread at Google or at the local emulator.

gspread has no base-URL option; its supported hook is the ``requests`` session.  When an
``api_url`` is given, :class:`RewritingAdapter` is mounted for Google's hosts and sends every
request, including the OAuth token refresh, to that URL instead.  Nothing is monkeypatched.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import gspread
import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2 import service_account
from requests.adapters import HTTPAdapter

from .errors import SheetsConfigurationError

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)
GOOGLE_HOSTS = ("sheets.googleapis.com", "www.googleapis.com", "oauth2.googleapis.com")


class RewritingAdapter(HTTPAdapter):
    """Sends requests for Google's hosts to ``api_url`` (same path and query)."""

    def __init__(self, api_url: str) -> None:
        super().__init__()
        parts = urlsplit(api_url.rstrip("/"))
        self._scheme, self._netloc, self._prefix = parts.scheme, parts.netloc, parts.path

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        if parts.hostname in GOOGLE_HOSTS:
            # The token endpoint path is "/token" on both oauth2.googleapis.com and the emulator.
            request.url = urlunsplit((self._scheme, self._netloc, self._prefix + parts.path, parts.query, ""))
            request.headers["Host"] = self._netloc
        return super().send(request, *args, **kwargs)


def mount(session: requests.Session, api_url: str) -> requests.Session:
    """Route Google's hosts in ``session`` to ``api_url``."""
    adapter = RewritingAdapter(api_url)
    for host in GOOGLE_HOSTS:
        session.mount(f"https://{host}", adapter)
    return session


class StaticToken(Credentials):
    """Bearer credentials that never expire (the emulator accepts any token)."""

    def __init__(self, token: str = "emulator") -> None:  # noqa: S107 - not a secret
        super().__init__()  # type: ignore[no-untyped-call]
        self.token = token

    def refresh(self, request: Any) -> None:
        """Nothing to refresh: the token is fixed."""

    @property
    def expired(self) -> bool:
        return False

    @property
    def valid(self) -> bool:
        return True

    def apply(self, headers: MutableMapping[str, str], token: str | None = None) -> None:
        headers["authorization"] = f"Bearer {token or self.token}"


def authorized_session(credentials: Credentials, api_url: str | None) -> AuthorizedSession:
    """An AuthorizedSession whose API calls and token refreshes both honour ``api_url``."""
    refresh_session = requests.Session()
    if api_url:
        mount(refresh_session, api_url)
    request = Request(session=refresh_session)
    session = AuthorizedSession(credentials, auth_request=request)  # type: ignore[no-untyped-call]
    if api_url:
        mount(session, api_url)
    return session


def open_client(*, credentials_file: str | None, api_url: str | None) -> gspread.Client:
    """A gspread client for Google (service-account file) or the emulator (``api_url``).

    With a credentials file the service account is used (scopes: spreadsheets + drive), also
    against the emulator when ``api_url`` is set, so the production path runs unchanged.
    """
    credentials: Credentials
    if credentials_file:
        try:
            credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                credentials_file, scopes=SCOPES
            )
        except (OSError, ValueError) as error:
            raise SheetsConfigurationError(
                f"cannot read service-account file {credentials_file}: {error}"
            ) from error
    elif api_url:
        credentials = StaticToken()
    else:
        raise SheetsConfigurationError(
            "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service-account JSON "
            "or SHEETS_API_URL to a Sheets emulator"
        )
    return gspread.Client(auth=credentials, session=authorized_session(credentials, api_url))


def credential_name(client: gspread.Client) -> str:
    """Whom Google counts ``client``'s requests against: its service account, else "default"."""
    credentials = getattr(client.http_client.session, "credentials", None)  # set by authorized_session
    email = getattr(credentials, "service_account_email", None)
    return str(email) if email else "default"
