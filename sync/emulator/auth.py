"""The emulator's OAuth: any service-account assertion gets a bearer token naming its subject."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


async def token(request: Request) -> Response:
    """OAuth token endpoint: accepts any service-account JWT assertion and mints a bearer token."""
    # Parsed by hand: the body is always urlencoded and python-multipart is not a dependency.
    form = parse_qs((await request.body()).decode())
    assertion = form.get("assertion", [""])[0]
    subject = "anonymous"
    parts = assertion.split(".")
    if len(parts) == 3:
        try:
            claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
            subject = str(claims.get("sub") or claims.get("iss") or subject)
        except (ValueError, binascii.Error):
            pass
    access = "emu." + base64.urlsafe_b64encode(subject.encode()).decode().rstrip("=")
    return JSONResponse({"access_token": access, "expires_in": 3600, "token_type": "Bearer"})


def bearer_user(request: Request) -> str | None:
    """The caller a request's bearer token names (quotas are per user); ``None`` without a token."""
    # Tokens minted elsewhere are still accepted, told apart by their first characters.
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer ") or not header[7:].strip():
        return None
    token = header[7:].strip()
    if token.startswith("emu."):
        try:
            return base64.urlsafe_b64decode(token[4:] + "==").decode()
        except (binascii.Error, UnicodeDecodeError):
            return token
    return f"token:{token[:24]}"
