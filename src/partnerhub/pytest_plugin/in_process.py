"""partnerhub in the test's own process (`partnerhub_app`): the ASGI app on a copy of an SQLite
file prepared once per session (migrated, bootstrapped with known credentials, seeded, its
baseline taken), reached through httpx's ASGITransport. No sockets: for httpx-based code only."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from partnerhub.app import create_app
from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.config import Settings
from partnerhub.pytest_plugin.control import AsyncControl, PartnerhubError
from partnerhub.pytest_plugin.credentials import Credentials, environment
from partnerhub.services import accounts, test_snapshots
from partnerhub.services.runtime import Runtime
from partnerhub.storage.database import Database
from partnerhub.storage.migrate import upgrade

T = TypeVar("T")
BASE_URL = "http://partnerhub.test"
DATABASE = "partnerhub.db"


class OwnSettings(Settings):
    """Settings from the values given only: neither PARTNERHUB_* variables nor a .env file of
    the project under test reach the app (nor its database or Redis)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _settings(database_url: str, credentials: Credentials) -> Settings:
    return OwnSettings(
        database_url=database_url,
        secret_key=credentials.secret_key,
        test_api=True,
        log_level="warning",
    )


def _in_thread(work: Callable[[], T]) -> T:
    """Set-up and tear-down that run a loop of their own (asyncio.run; Alembic's too), in a
    thread: whatever loop the test session runs stays untouched."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def _outside_the_loop(work: Callable[[], Awaitable[T]]) -> T:
    return _in_thread(lambda: asyncio.run(work()))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Template:
    """The prepared database every `partnerhub_app` starts from, and its known secrets."""

    path: Path
    credentials: Credentials
    token: str
    core_login: str


def prepare(workdir: Path, seed: Path | None) -> Template:
    """Migrate a new SQLite file, bootstrap the account `default` with the known credentials
    and an account token, load `seed` (`partnerhub seed`), and take the baseline."""
    credentials = Credentials()
    path = workdir / DATABASE
    url = f"sqlite:///{path}"
    _in_thread(lambda: upgrade(url))

    async def bootstrap() -> tuple[str, str]:
        db = Database.open(url, pool_size=1)
        try:
            async with db.transaction(write=True) as uow:
                created = await accounts.bootstrap(
                    uow,
                    hood_tier=_settings(url, credentials).hood_default_tier,
                    token=credentials.admin_token,
                    core_password=credentials.core_password,
                )
                assert created is not None  # a new file has no accounts
                _, token = await accounts.create_token(
                    uow, account_id=created.account.id, name="pytest", scopes=ALL_SCOPES
                )
            return token, created.core_login
        finally:
            await db.dispose()

    token, core_login = _outside_the_loop(bootstrap)
    if seed is not None:
        _seed_with_cli(url, credentials, seed, workdir)

    async def baseline() -> None:
        db = Database.open(url, pool_size=1)
        try:
            async with db.transaction(write=True) as uow:
                await test_snapshots.take_baseline(uow)
        finally:
            await db.dispose()

    _outside_the_loop(baseline)
    return Template(path, credentials, token, core_login)


def _seed_with_cli(url: str, credentials: Credentials, seed: Path, workdir: Path) -> None:
    loaded = subprocess.run(  # noqa: S603 - this interpreter, our command
        [sys.executable, "-m", "partnerhub", "seed", str(seed)],
        env=environment(url, credentials),
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if loaded.returncode != 0:
        shown = credentials.redact(f"{loaded.stdout}\n{loaded.stderr}".strip())
        raise PartnerhubError(f"partnerhub seed {seed}:\n{shown}")


class PartnerhubApp(AsyncControl):
    """One test's in-process partnerhub: `app`, `client()` (an httpx.AsyncClient on it with the
    account token) and the test-control helpers, awaited (`await partnerhub_app.fault(...)`)."""

    def __init__(self, template: Template, workdir: Path) -> None:
        path = workdir / DATABASE
        shutil.copy(template.path, path)
        self.database_url = f"sqlite:///{path}"
        self.settings = _settings(self.database_url, template.credentials)
        self._runtime = Runtime.build(self.settings)
        self.app: FastAPI = create_app(self.settings, self._runtime)
        self.base_url = BASE_URL
        self.token, self.admin_token = template.token, template.credentials.admin_token
        self.account = template.credentials.account
        self.core_login = template.core_login
        self.core_password = template.credentials.core_password
        super().__init__(self.client(self.admin_token))

    def client(self, token: str | None = None, **options: Any) -> httpx.AsyncClient:
        """An httpx.AsyncClient on the app with `token` (default: the account token)."""
        headers = {"Authorization": f"Bearer {token or self.token}", **options.pop("headers", {})}
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url=self.base_url,
            headers=headers,
            **options,
        )

    def close(self) -> None:
        _outside_the_loop(self._runtime.close)
