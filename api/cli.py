"""The `eduhub` command line: one entry point for serving, syncing, migrating and tokens.

Errors print as one clear line (no traceback) and exit with status 1.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from tortoise import Tortoise
from tortoise.exceptions import BaseORMException

from api.reports.catalog import REPORTS
from api.settings import Settings, get_settings
from logs.setup import configure as configure_logs
from models.db import migrate as migrate_database
from models.db import tortoise_config
from models.enums import Role
from models.errors import EduhubError, ValidationFailed
from sync.emulator.quota import QuotaLimits
from sync.errors import SyncError

# Tracebacks are for developers; people get one line (see `main`).
app = typer.Typer(
    help="Hanam Education Hub: GraphQL API and Google Sheets sync.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
schema_app = typer.Typer(help="The GraphQL schema clients build on.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
report_app = typer.Typer(
    help="XLSX reports of the summaries (Korean headers, 원 or 천원).", no_args_is_help=True
)
app.add_typer(report_app, name="report")
budget_app = typer.Typer(help="Budget lines at year end: settle and carry over (이월).", no_args_is_help=True)
app.add_typer(budget_app, name="budget")
sync_app = typer.Typer(help="One sync cycle now (`--once`), or take a cycle back (`revert N`).")
app.add_typer(sync_app, name="sync")

T = TypeVar("T")
HostOption = Annotated[str, typer.Option(help="Interface to listen on.")]


def main() -> None:
    try:
        app()
    except ValidationError as error:
        _fail(f"invalid settings: {_first_error(error)}")
    except (EduhubError, SyncError, BaseORMException, OSError) as error:
        _fail(str(error) or type(error).__name__)


def _fail(message: str) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise SystemExit(1)


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "settings"
    # pydantic prefixes the messages our validators raise; people need only the message.
    return f"{where}: {first['msg'].removeprefix('Value error, ')}"


def _configure_logging(settings: Settings) -> None:
    configure_logs(settings.log_level, settings.log_format)


async def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` with Tortoise initialised on a migrated database."""
    await migrate_database(settings.database_url)
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Tortoise migrations)."""
    settings = get_settings()
    asyncio.run(migrate_database(settings.database_url))
    typer.echo(f"database migrated: {_redacted(settings.database_url)}")


@app.command()
def seed() -> None:
    """Load the Hanam sample data into an empty database (no-op when data exists)."""
    from models.sample_data import load_sample_data

    counts = asyncio.run(_with_database(get_settings(), load_sample_data))
    if counts.schools == 0:
        typer.echo("database already has data: sample not loaded")
    else:
        typer.echo(
            f"sample data loaded: {counts.schools} schools, {counts.programs} programs, "
            f"{counts.budget_lines} budget lines, {counts.partners} partners, {counts.sessions} sessions, "
            f"{counts.allocations} allocations"
        )


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="admin, staff (write) or partner (read everything).")],
    name: Annotated[str, typer.Option(help="Who holds the token; shown in history.")],
    expires_in_days: Annotated[
        float | None, typer.Option(help="Valid for this many days (default: until revoked).", min=0)
    ] = None,
) -> None:
    """Create an API token. The secret is printed once, alone on the last line."""
    from models.services import tokens

    if not name.strip():
        _fail("--name must not be empty")
    expires_in = None if expires_in_days is None else timedelta(days=expires_in_days)
    token, secret = asyncio.run(
        _with_database(
            get_settings(), lambda: tokens.create(name=name.strip(), role=role, expires_in=expires_in)
        )
    )
    until = f", valid until {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
    typer.echo(f"created {token.role} token #{token.id} for {token.name!r}{until}; it is shown only once:")
    typer.echo(secret)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="The token's number (#id).")]) -> None:
    """Revoke a token: HTTP refuses it at once, its open WebSockets close within a second."""
    from api.live.token_watch import announce_revoked
    from models.services import tokens
    from pubsub import create_pubsub

    settings = get_settings()

    async def revoke() -> None:
        token = await tokens.revoke(token_id)
        # Through Redis this reaches every web process at once; each one's own check (every
        # TOKEN_RECHECK_SECONDS) closes the sockets anyway, so no message is needed without it.
        if settings.redis_url:
            pubsub = create_pubsub(settings.redis_url)
            await pubsub.connect()
            try:
                await announce_revoked(pubsub, token.id)
            finally:
                await pubsub.disconnect()
        typer.echo(f"revoked {token.role} token #{token.id} of {token.name!r}")

    asyncio.run(_with_database(settings, revoke))


@schema_app.command("print")
def schema_print() -> None:
    """Print the schema in SDL (the committed schema.graphql is this output)."""
    from schema.sdl import printed_schema

    typer.echo(printed_schema(get_settings()), nl=False)


def _report_command(slug: str) -> Callable[..., None]:
    """`eduhub report <slug>`: one command per summary in `api.reports.catalog.REPORTS`."""

    def command(
        group_by: Annotated[
            list[str] | None, typer.Option("--group-by", help="Dimension, repeatable or A,B (e.g. PROGRAM).")
        ] = None,
        unit: Annotated[str, typer.Option(help="Money unit: 원 or 천원 (rounded half up).")] = "원",
        out: Annotated[
            Path | None, typer.Option(help="File to write (default: its Korean name here).")
        ] = None,
        filter: Annotated[
            list[str] | None, typer.Option("--filter", help="Condition NAME=VALUE, e.g. fiscalYears=2025.")
        ] = None,
        token: Annotated[
            str | None,
            typer.Option(envvar="EDUHUB_TOKEN", help="Read as this API token (default: anonymous)."),
        ] = None,
    ) -> None:
        from api.reports.command import make_report, write_atomically

        built = asyncio.run(
            _with_database(
                get_settings(),
                lambda: make_report(
                    get_settings(),
                    slug=slug,
                    group_by=group_by or [],
                    unit=unit,
                    filters=filter or [],
                    token=token,
                ),
            )
        )
        path = out or Path(built.filename)
        write_atomically(built.content, path)
        typer.echo(f"report written: {path} (taken {built.taken_at:%Y-%m-%d %H:%M} Asia/Seoul)")

    return command


for _report in REPORTS.values():
    report_app.command(_report.slug, help=f"{_report.title} ({_report.field}) as an XLSX file.")(
        _report_command(_report.slug)
    )


@app.command()
def web(host: HostOption = "127.0.0.1", port: Annotated[int, typer.Option()] = 8000) -> None:
    """Serve the API only (scale-out web process)."""
    from api import event_loop
    from api.runner import run_web

    settings = get_settings()
    _configure_logging(settings)
    event_loop.run(run_web(settings, host=host, port=port))


@app.command()
def serve(host: HostOption = "127.0.0.1", port: Annotated[int, typer.Option()] = 8000) -> None:
    """Embedded default: API and sync worker in one process (plus the Sheets emulator without Google)."""
    from api.runner import run_embedded

    settings = get_settings()
    _configure_logging(settings)
    asyncio.run(run_embedded(settings, host=host, port=port))


@app.command()
def worker() -> None:
    """Run the sync worker loop (one lease holder per spreadsheet; others stand by)."""
    from api.runner import run_worker_process

    settings = get_settings()
    _configure_logging(settings)
    asyncio.run(run_worker_process(settings))


@sync_app.callback(invoke_without_command=True)
def sync(
    context: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")] = False,
    confirm_deletes: Annotated[
        bool, typer.Option("--confirm-deletes", help="Allow a cycle that archives many rows.")
    ] = False,
) -> None:
    """Run one sync cycle now (`--once`); the loop is `eduhub worker`; `revert N` takes cycle N back."""
    from sync.worker import run_once

    if context.invoked_subcommand is not None:
        return
    if not once:
        _fail("use `eduhub sync --once` for one cycle, or `eduhub worker` for the loop")
    settings = get_settings()
    _configure_logging(settings)
    report = asyncio.run(
        _with_database(
            settings,
            lambda: run_once(settings, dry_run=dry_run, confirm_deletes=confirm_deletes, progress=True),
        )
    )
    typer.echo(str(report))
    if not report.succeeded:
        raise SystemExit(1)


@sync_app.command("revert")
def sync_revert(
    cycle: Annotated[int, typer.Argument(help="The cycle's number (syncStatus.recentCycles, dashboard).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
) -> None:
    """Put back every value cycle N changed, as new audited changes; later edits are kept as conflicts."""
    from api.revert_text import lines
    from models.actor import SYSTEM_ACTOR
    from models.services.cycle_revert import revert
    from sync.mapping import load

    settings = get_settings()  # no log set-up: a refusal is one line, the tool's INFO lines are noise here
    mapping = load(settings.sync_mapping_file)
    try:
        result = asyncio.run(
            _with_database(settings, lambda: revert(cycle, actor=SYSTEM_ACTOR, dry_run=dry_run))
        )
    except ValidationFailed as refused:
        _fail(" ".join(error.message for error in refused.errors))
    for line in lines(result, mapping):
        typer.echo(line)


@budget_app.command("close-year")
def budget_close_year(
    fiscal_year: Annotated[int, typer.Argument(help="The calendar fiscal year to close, e.g. 2025.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would happen; write nothing.")
    ] = False,
) -> None:
    """Settle every live line of the year (정산): carry each line's 이월액 into next year, the rest is
    불용액; record the closing. A year is closed once."""
    from api.closing_table import show
    from models.actor import SYSTEM_ACTOR
    from models.services import year_closing
    from models.services.write_scope import write_scope

    async def work() -> year_closing.ClosingPlan:
        if dry_run:
            validation_errors = await year_closing.refusals(fiscal_year)
            if validation_errors:
                raise ValidationFailed(validation_errors)
            return await year_closing.plan(fiscal_year)
        async with write_scope(SYSTEM_ACTOR) as scope:
            plan, _ = await year_closing.close(scope, fiscal_year)
        return plan

    try:
        plan = asyncio.run(_with_database(get_settings(), work))
    except ValidationFailed as refused:
        _fail(" ".join(error.message for error in refused.errors))
    show(plan, dry_run=dry_run)


@app.command()
def emulator(
    host: HostOption = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8085,
    seed: Annotated[str | None, typer.Option(help="Seed an empty store: 'sample'.")] = None,
    persist: Annotated[
        str | None, typer.Option(help="JSON file that keeps the sheets across restarts.")
    ] = None,
    quota: Annotated[
        str,
        typer.Option(
            help="Requests per minute per user ('google': 60 read + 60 write, like Google; "
            "N: N of each, the project limit 5 N; 'off': unlimited)."
        ),
    ] = "google",
    latency: Annotated[float, typer.Option(help="Milliseconds added to every request.", min=0)] = 0.0,
    fault: Annotated[
        list[str] | None,
        typer.Option(
            help="A fault rule, repeatable: KIND[,rate=R][,count=N][,status=S][,delay=SECONDS]"
            "[,method=M][,stage=before|after]; KIND is error, quota, drop, latency or hold.",
        ),
    ] = None,
) -> None:
    """Run the local Google Sheets API emulator (any gspread program can use it; sync/README.md)."""
    from sync.emulator import SEEDS
    from sync.emulator.fault_spec import FaultSpecError, from_text
    from sync.emulator.server import serve as serve_emulator
    from sync.emulator.store import StoreFileError

    if seed is not None and seed not in SEEDS:
        _fail(f"unknown seed {seed!r}; choose one of: {', '.join(SEEDS)}")
    try:
        rules = [from_text(text) for text in fault or []]
    except FaultSpecError as error:
        _fail(f"--fault: {error}")
    if latency:
        rules.append({"kind": "latency", "delay": latency / 1000})
    typer.echo(f"Sheets emulator on http://{host}:{port}")
    try:
        asyncio.run(
            serve_emulator(
                host=host,
                port=port,
                persist_path=persist,
                seed=SEEDS[seed] if seed else None,
                quota=_quota_limits(quota),
                faults=rules,
            )
        )
    except StoreFileError as error:
        _fail(str(error))


def _quota_limits(text: str) -> QuotaLimits:
    """``--quota``: Google's limits, N requests of each kind per user per minute, or none."""
    if text == "google":
        return QuotaLimits()
    if text == "off":
        return QuotaLimits(enabled=False)
    if not text.isdigit() or int(text) < 1:
        _fail(f"--quota: {text!r} is not 'google', 'off' or a number of requests per minute")
    per_user = int(text)
    # Google's project limit is five times the per-user one (300 and 60); keep that ratio.
    return QuotaLimits(per_user, per_user, 5 * per_user, 5 * per_user)


def _redacted(url: str) -> str:
    """Hide a password in a database URL before printing it."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
