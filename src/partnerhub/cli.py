"""The `partnerhub` command: serve, migrate, accounts, tokens, members, demo, seed, export,
import."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import SecretStr
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
)
from rich.table import Table
from rich.text import Text

from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.config import DEV_SECRET_KEY, Settings
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.errors import DomainError, NotFound
from partnerhub.ops.logging import configure as configure_logging
from partnerhub.services import (
    accounts,
    core_partners,
    demo,
    hood_integrations,
    test_snapshots,
    transfer,
)
from partnerhub.services.runtime import UnitOfWork, build_secrets
from partnerhub.storage.database import Database
from partnerhub.storage.migrate import upgrade
from partnerhub.surfaces.seed import document as seed_document
from partnerhub.surfaces.seed import loader as seed_loader

T = TypeVar("T")
# Markup off: names, e-mails and error messages are user input, and a `[/]` in one must print
# as typed, not raise MarkupError after the command's transaction has committed.
console = Console(markup=False)
err = Console(stderr=True, markup=False)
ERROR = ("error:", "red")
BOOTSTRAP_TOKEN = "PARTNERHUB_BOOTSTRAP_TOKEN"  # noqa: S105 - a setting's name
BOOTSTRAP_PASSWORD = "PARTNERHUB_BOOTSTRAP_CORE_PASSWORD"  # noqa: S105 - a setting's name
WARNING = ("warning:", "yellow")


def _settings_help() -> str:
    lines = ["Configuration (environment variables, or a .env file):\n\n"]
    for name, field in Settings.model_fields.items():
        default = (
            field.default.get_secret_value()
            if hasattr(field.default, "get_secret_value")
            else field.default
        )
        shown = "(set it!)" if name == "secret_key" else default
        lines.append(f"PARTNERHUB_{name.upper()}: {field.description} [default: {shown}]\n\n")
    return "".join(lines)


app = typer.Typer(
    help="partnerhub: partner-management API server (Hood, Core, CRM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
accounts_app = typer.Typer(help="Accounts (tenants).", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens.", no_args_is_help=True)
members_app = typer.Typer(help="Members (account managers).", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
app.add_typer(tokens_app, name="tokens")
app.add_typer(members_app, name="members")
secrets_app = typer.Typer(
    help="Secrets stored at rest (integration credentials).", no_args_is_help=True
)
app.add_typer(secrets_app, name="secrets")


def _run(
    settings: Settings, work: Callable[[UnitOfWork], Awaitable[T]], *, snapshot: bool = False
) -> T:
    """Migrate, then run `work` in one transaction (`snapshot`: one that only reads, one state
    throughout); domain errors exit 1 with their message."""
    upgrade(settings.database_url)

    async def main() -> T:
        db = Database.open(settings.database_url, pool_size=1)
        try:
            async with db.snapshot() if snapshot else db.transaction(write=True) as uow:
                return await work(uow)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None


def _print_error(exc: DomainError) -> None:
    """Every problem of the error, one line each."""
    for problem in exc.problems:
        err.print(Text.assemble(ERROR, f" {problem.message}"), soft_wrap=True)


def _check_secret_key(settings: Settings, *, allowed: bool) -> None:
    """The development key is public: refused on PostgreSQL unless allowed, a warning on SQLite."""
    if settings.secret_key.get_secret_value() != DEV_SECRET_KEY:
        return
    if settings.is_postgres and not allowed:
        err.print(
            Text.assemble(
                ERROR,
                " PARTNERHUB_SECRET_KEY is the development default, public in the source: set "
                "your own (the same on every worker and host), or start anyway with "
                "--allow-dev-secret-key (PARTNERHUB_ALLOW_DEV_SECRET_KEY=true).",
            ),
            soft_wrap=True,
        )
        raise typer.Exit(2)
    err.print(
        Text.assemble(
            WARNING,
            " PARTNERHUB_SECRET_KEY is the development default; set your own before storing "
            "integration secrets.",
        ),
        soft_wrap=True,
    )


@app.command(epilog=_settings_help())
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    allow_dev_secret_key: Annotated[
        bool,
        typer.Option(
            "--allow-dev-secret-key",
            help="Start on PostgreSQL with the development secret key anyway.",
        ),
    ] = False,
    seed: Annotated[
        Path | None,
        typer.Option(
            help="A seed file (.json, .yaml) or an export (.jsonl) to load before the server "
            "accepts requests; if it fails, serve stops with exit code 2."
        ),
    ] = None,
) -> None:
    """Run the API server (migrates the database first; prints a token on first start)."""
    settings = Settings()
    overrides = {"host": host, "port": port, "workers": workers}
    for key, value in overrides.items():
        if value is not None:
            os.environ[f"PARTNERHUB_{key.upper()}"] = str(value)
    settings = Settings()
    if settings.workers > 1 and not settings.redis_url:
        err.print(
            Text.assemble(
                ERROR,
                " --workers > 1 needs PARTNERHUB_REDIS_URL: in-memory rate-limit "
                "budgets would be per worker, not per account.",
            )
        )
        raise typer.Exit(2)
    _check_secret_key(settings, allowed=allow_dev_secret_key or settings.allow_dev_secret_key)

    _bootstrap(settings)
    if seed is not None:
        _seed(settings, seed, exit_code=2)
    if settings.test_api:
        # The state resets go back to: taken here, once, after migrating, bootstrapping and
        # seeding, before any worker serves (a worker taking it could see others' changes).
        _run(settings, test_snapshots.take_baseline)
    console.print(
        f"partnerhub on http://{settings.host}:{settings.port} "
        f"({settings.workers} worker(s), database {_safe_url(settings.database_url)})",
        soft_wrap=True,  # one line in logs, whatever the (assumed) terminal width
    )
    from partnerhub.ops import server  # uvicorn: imported only by the command that serves

    configure_logging(settings.log_level)
    server.run(settings)


def _known_secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _bootstrap(settings: Settings) -> None:
    """The first start on an empty database creates the account `default`, its token (every
    scope and partnerhub.admin) and its root Core login: random, or the known values of
    PARTNERHUB_BOOTSTRAP_TOKEN / _CORE_PASSWORD, which are checked before anything is written
    and never printed."""
    token = _known_secret(settings.bootstrap_token)
    password = _known_secret(settings.bootstrap_core_password)
    try:
        accounts.check_known_secrets(
            token=token,
            core_password=password,
            token_field=BOOTSTRAP_TOKEN,
            password_field=BOOTSTRAP_PASSWORD,
        )
    except DomainError as exc:
        err.print(Text.assemble(ERROR, f" {exc.message}"), soft_wrap=True)
        raise typer.Exit(2) from None

    created = _run(
        settings,
        lambda uow: accounts.bootstrap(
            uow, hood_tier=settings.hood_default_tier, token=token, core_password=password
        ),
    )
    if created is None:
        for name, value in ((BOOTSTRAP_TOKEN, token), (BOOTSTRAP_PASSWORD, password)):
            if value is not None:
                console.print(
                    f"info: {name} ignored: the database already has accounts.", soft_wrap=True
                )
        return
    _print_new_account(
        created,
        token_shown=token is None,
        password_shown=password is None,
        scopes="every scope and partnerhub.admin",
    )


def _print_new_account(
    created: accounts.NewAccount,
    *,
    token_shown: bool = True,
    password_shown: bool = True,
    scopes: str = "every scope",
) -> None:
    """The secrets of a new account, shown this once: its token and its root Core login."""
    account = created.account
    if not token_shown:
        console.print(
            Text.assemble(
                "Account ",
                (account.name, "bold"),
                f" (id {account.id}) created with the token from {BOOTSTRAP_TOKEN} ({scopes}).",
            ),
            soft_wrap=True,
        )
    else:
        console.print(
            Text.assemble(
                "Account ",
                (account.name, "bold"),
                f" (id {account.id}) created. Its token (shown once, {scopes}):",
            )
        )
        console.print(created.token, soft_wrap=True, highlight=False)
    _print_core_login(created.core_login, created.core_password if password_shown else None)


def _print_core_login(login: str, password: str | None) -> None:
    """`password` None: it came from PARTNERHUB_BOOTSTRAP_CORE_PASSWORD and is not shown."""
    how = "POST /core/v2/oauth/token with grant_type=password"
    shown = "password shown once" if password is not None else f"password from {BOOTSTRAP_PASSWORD}"
    console.print(f"Core (/core/v2) root partner login ({shown}; {how}):", soft_wrap=True)
    console.print(f"login: {login}", soft_wrap=True, highlight=False)
    if password is not None:
        console.print(f"password: {password}", soft_wrap=True, highlight=False)


def _safe_url(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    settings = Settings()
    upgrade(settings.database_url)
    console.print(f"Database {_safe_url(settings.database_url)} is up to date.")


@accounts_app.command("create")
def accounts_create(
    name: str,
    hood_tier: Annotated[
        str | None,
        typer.Option(help="Hood rate-limit tier A–E [default: PARTNERHUB_HOOD_DEFAULT_TIER]."),
    ] = None,
) -> None:
    """Create an account and print a token with every scope (shown once)."""

    async def work(uow: UnitOfWork) -> accounts.NewAccount:
        tier = (hood_tier or settings.hood_default_tier).upper()
        return await accounts.create_account(uow, name=name, hood_tier=tier)

    settings = Settings()
    _print_new_account(_run(settings, work))


@accounts_app.command("core-password")
def accounts_core_password(account: str) -> None:
    """Set a new random password for the account's root Core partner and print it (once)."""

    async def work(uow: UnitOfWork) -> Any:
        found = await accounts.get_account(uow, name_or_id=account)
        return await core_partners.reset_root_password(uow, account_id=found.id)

    root, password = _run(Settings(), work)
    _print_core_login(root.login, password)


@accounts_app.command("list")
def accounts_list() -> None:
    """List accounts."""
    found = _run(Settings(), lambda uow: uow.accounts.list())
    table = Table("id", "name", "hood tier", "rate limits", "created")
    for a in found:
        table.add_row(
            str(a.id), a.name, a.hood_tier, str(a.rate_limits or "-"), a.created_at.isoformat()
        )
    console.print(table)


def _windows(spec: str) -> list[list[int]]:
    """`100/1,1000/60` → [[100, 1], [1000, 60]] (requests per seconds)."""
    windows = []
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", part)
        if not match or int(match[1]) < 1 or int(match[2]) < 1:
            raise typer.BadParameter(f"{part!r}: expected REQUESTS/SECONDS, e.g. 100/1,1000/60")
        windows.append([int(match[1]), int(match[2])])
    return windows


@accounts_app.command("limits")
def accounts_limits(
    account: str,
    hood_tier: Annotated[str | None, typer.Option(help="Hood tier A–E.")] = None,
    hood: Annotated[
        str | None, typer.Option(help="Custom Hood windows, e.g. 100/1,1000/60.")
    ] = None,
    crm: Annotated[
        str | None,
        typer.Option(help="Custom CRM windows, e.g. 1000/10,1000000/86400 (rolling, daily)."),
    ] = None,
    crm_search: Annotated[
        str | None, typer.Option(help="Custom CRM search window, e.g. 20/1.")
    ] = None,
    core: Annotated[
        str | None, typer.Option(help="Custom Core windows, e.g. 100/1,1000/60.")
    ] = None,
    reset: Annotated[bool, typer.Option(help="Drop custom windows.")] = False,
) -> None:
    """Show or change an account's rate limits."""

    async def work(uow: UnitOfWork) -> Any:
        found = await accounts.get_account(uow, name_or_id=account)
        custom = {} if reset else dict(found.rate_limits)
        if hood:
            custom["hood"] = _windows(hood)
        if crm:
            custom["crm"] = _windows(crm)
        if crm_search:
            custom["crm_search"] = _windows(crm_search)
        if core:
            custom["core"] = _windows(core)
        return await accounts.set_limits(
            uow,
            account_id=found.id,
            hood_tier=hood_tier.upper() if hood_tier else None,
            rate_limits=custom if (hood or crm or crm_search or core or reset) else None,
        )

    updated = _run(Settings(), work)
    console.print(
        f"{updated.name}: hood tier {updated.hood_tier}, custom {updated.rate_limits or '-'}"
    )


def _expiry(expires_in: str | None) -> datetime | None:
    if not expires_in:
        return None
    match = re.fullmatch(r"(\d+)([smhd])", expires_in.strip())
    if not match:
        raise typer.BadParameter("use a number and a unit, e.g. 30d, 12h, 15m")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match[2]]
    return utcnow() + timedelta(**{unit: int(match[1])})


@tokens_app.command("create")
def tokens_create(
    account: Annotated[str, typer.Option(help="Account name or id.")],
    name: Annotated[str, typer.Option(help="A name to recognise the token by.")],
    scope: Annotated[
        list[str] | None, typer.Option(help="Scope (repeat); default: every scope.")
    ] = None,
    expires_in: Annotated[str | None, typer.Option(help="Lifetime, e.g. 30d, 12h.")] = None,
) -> None:
    """Create a token and print it (shown once; only its hash is stored)."""
    expires_at = _expiry(expires_in)

    async def work(uow: UnitOfWork) -> Any:
        found = await accounts.get_account(uow, name_or_id=account)
        return await accounts.create_token(
            uow,
            account_id=found.id,
            name=name,
            scopes=scope or list(ALL_SCOPES),
            expires_at=expires_at,
        )

    info, secret = _run(Settings(), work)
    console.print(f"Token {info.id} ({info.name}), scopes: {' '.join(info.scopes)}")
    console.print(secret, soft_wrap=True, highlight=False)


@tokens_app.command("list")
def tokens_list(account: Annotated[str, typer.Option(help="Account name or id.")]) -> None:
    """List an account's tokens (prefix only, never the secret)."""

    async def work(uow: UnitOfWork) -> Any:
        found = await accounts.get_account(uow, name_or_id=account)
        return await uow.tokens.list(found.id)

    table = Table("id", "name", "prefix", "scopes", "expires", "revoked")
    for t in _run(Settings(), work):
        table.add_row(
            str(t.id),
            t.name,
            t.prefix + "…",
            " ".join(t.scopes),
            t.expires_at.isoformat() if t.expires_at else "never",
            t.revoked_at.isoformat() if t.revoked_at else "-",
        )
    console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: int, account: Annotated[str, typer.Option(help="Account name or id.")]
) -> None:
    """Revoke a token (it stops working within a few seconds on every worker)."""

    async def work(uow: UnitOfWork) -> None:
        found = await accounts.get_account(uow, name_or_id=account)
        await accounts.revoke_token(uow, account_id=found.id, token_id=token_id)

    _run(Settings(), work)
    console.print(f"Token {token_id} revoked.")


@members_app.command("create")
def members_create(
    account: Annotated[str, typer.Option(help="Account name or id.")],
    name: Annotated[str, typer.Option()],
    email: Annotated[str, typer.Option()],
    status: Annotated[str, typer.Option(help="active or suspended.")] = "active",
) -> None:
    """Create a member (a manager partners can be assigned to)."""

    async def work(uow: UnitOfWork) -> Any:
        found = await accounts.get_account(uow, name_or_id=account)
        return await accounts.create_member(
            uow, account_id=found.id, name=name, email=email, status=status
        )

    member = _run(Settings(), work)
    console.print(f"Member {member.id}: {member.name} <{member.email}>")


@app.command("demo")
def demo_command(
    account: Annotated[str, typer.Option(help="Account name or id.")] = "default",
) -> None:
    """Load a small realistic data set into an account (created if missing)."""

    async def work(uow: UnitOfWork) -> Any:
        created = None
        try:
            found = await accounts.get_account(uow, name_or_id=account)
        except NotFound:
            created = await accounts.create_account(
                uow, name=account, hood_tier=settings.hood_default_tier
            )
            found = created.account
        actor = Actor(account_id=found.id, token_id=None, scopes=frozenset(ALL_SCOPES))
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
            task = bar.add_task("loading demo data", total=None)
            counts = await demo.load(
                uow,
                actor,
                secrets=build_secrets(settings),
                progress=lambda what: bar.update(task, description=f"loaded {what}"),
            )
        return found, created, counts

    settings = Settings()
    found, created, counts = _run(settings, work)
    if created:
        _print_new_account(created)
    console.print(
        f"Demo data in account {found.name}: " + ", ".join(f"{v} {k}" for k, v in counts.items())
    )


@app.command("seed")
def seed_command(
    file: Annotated[
        Path, typer.Argument(help="A seed file (.json, .yaml, .yml) or an export (.jsonl).")
    ],
) -> None:
    """Load a seed file (README "Seed files, export and import"): accounts, tokens, members
    and data of every surface, with the ids it states. All or nothing: any error names its
    entry and field, and nothing is loaded. An export (.jsonl) is loaded as `import` does."""
    _seed(Settings(), file, exit_code=1)


def _seed(settings: Settings, file: Path, *, exit_code: int) -> None:
    """Load `file` (a seed file, or an export: .jsonl); on any problem print every one and exit
    with `exit_code`. Secrets the file did not give (tokens, Core passwords) are printed once;
    those it gave never are."""
    if file.suffix.lower() == ".jsonl":
        _import(settings, file, exit_code=exit_code)
        return
    try:
        document = seed_document.read(file)
    except DomainError as exc:
        _print_error(exc)
        raise typer.Exit(exit_code) from None

    async def work(uow: UnitOfWork) -> list[seed_loader.SeededAccount]:
        return await seed_loader.load(
            uow, document, secrets=build_secrets(settings), default_tier=settings.hood_default_tier
        )

    try:
        made = _run(settings, work)
    except typer.Exit:
        raise typer.Exit(exit_code) from None
    for seeded in made:
        counts = ", ".join(f"{n} {what}" for what, n in seeded.counts.items()) or "no data"
        console.print(f"Seeded account {seeded.name} (id {seeded.id}): {counts}.", soft_wrap=True)
        if seeded.token is not None:
            console.print("Its token (shown once, every scope):", soft_wrap=True)
            console.print(seeded.token, soft_wrap=True, highlight=False)
        if seeded.core_password is not None:
            _print_core_login(seeded.core_login, seeded.core_password)
        for name, secret in seeded.tokens:
            console.print(f"Token {name} (shown once):", soft_wrap=True)
            console.print(secret, soft_wrap=True, highlight=False)


@app.command("export")
def export_command(
    account: Annotated[
        str | None, typer.Option(help="Account name or id [default: every account].")
    ] = None,
) -> None:
    """Write the data (history, token hashes and encrypted integration secrets included) as
    JSON Lines to stdout: `partnerhub export > dump.jsonl`. Progress goes to stderr."""
    out = sys.stdout.buffer

    async def work(uow: UnitOfWork) -> int:
        total, lines = await transfer.export(uow, account=account)
        with _progress("exporting", total) as (bar, task):
            written = -1  # the header is not a record
            async for line in lines:
                out.write(line)
                written += 1
                bar.update(task, completed=written)
        out.flush()
        return written

    written = _run(Settings(), work, snapshot=True)
    err.print(f"{written} record(s) exported.")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A file `partnerhub export` wrote.", exists=True)],
) -> None:
    """Load an export into new accounts (all or nothing: one transaction). Ids, versions, times
    and history are kept; the accounts and ids must not exist yet. Integration secrets need the
    exporting server's PARTNERHUB_SECRET_KEY."""
    _import(Settings(), file, exit_code=1)


def _import(settings: Settings, file: Path, *, exit_code: int) -> None:
    try:
        lines = file.open("rb")
    except OSError as exc:
        err.print(Text.assemble(ERROR, f" {file}: cannot be read ({exc.strerror})."))
        raise typer.Exit(exit_code) from None

    async def work(uow: UnitOfWork) -> dict[str, int]:
        with _progress("importing", size) as (bar, task):
            return await transfer.import_(
                uow,
                lines,
                secrets=build_secrets(settings),
                progress=lambda read: bar.advance(task, read),
            )

    with lines:
        size = os.fstat(lines.fileno()).st_size
        try:
            counts = _run(settings, work)
        except typer.Exit:
            raise typer.Exit(exit_code) from None
    console.print(
        "Imported " + (", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"),
        soft_wrap=True,
    )


@contextmanager
def _progress(what: str, total: int) -> Iterator[tuple[Progress, TaskID]]:
    """A progress bar on stderr (stdout may be the data)."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        yield bar, bar.add_task(what, total=total)


@secrets_app.command("rotate")
def secrets_rotate() -> None:
    """Re-encrypt every stored secret under PARTNERHUB_SECRET_KEY (run it after moving the old
    key to PARTNERHUB_SECRET_KEY_PREVIOUS; remove the old key once it has run)."""
    settings = Settings()

    async def work(uow: UnitOfWork) -> int:
        return await hood_integrations.rotate_secrets(uow, secrets=build_secrets(settings))

    changed = _run(settings, work)
    console.print(f"{changed} integration(s) re-encrypted under the current key.")


def main() -> None:
    app()
