"""`eduhub report <summary>`: the same report as the HTTP route, written to a file.

The CLI reads the database directly, yet answers only what its token may see through the API:
without `--token` (or EDUHUB_TOKEN) the figures are the anonymous ones.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from api.auth import actor_for_secret
from api.reports.build import BuiltReport, build_report
from api.reports.errors import BadReportRequest
from api.settings import Settings
from schema.root import build_schema


async def make_report(
    settings: Settings,
    *,
    slug: str,
    group_by: Sequence[str],
    unit: str | None,
    filters: Sequence[str],
    token: str | None,
) -> BuiltReport:
    """The report as the token's holder (anonymous without one); `InvalidCredentials` for a bad token."""
    viewer = await actor_for_secret(token.strip()) if token and token.strip() else None
    return await build_report(
        build_schema(settings),
        settings,
        slug=slug,
        group_by=group_by,
        unit=unit,
        conditions=parse_filters(filters),
        viewer=viewer,
    )


def parse_filters(filters: Sequence[str]) -> dict[str, list[str]]:
    """`--filter fiscalYears=2025 --filter funders=CITY,PROVINCE` -> {name: [values]}."""
    conditions: dict[str, list[str]] = defaultdict(list)
    for text in filters:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise BadReportRequest(f"--filter {text!r}: '이름=값' 형식이어야 합니다 (예: fiscalYears=2025).")
        conditions[name.strip()].append(value)
    return conditions


def write_atomically(content: bytes, path: Path) -> None:
    """The whole file or none: a report cut short must not look like a finished one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
