"""Shared fixtures: a database per backend (SQLite file, PostgreSQL), the real ASGI app, and
accounts with tokens. A missing PostgreSQL or Redis skips its tests locally and fails under CI."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import asyncpg
import httpx
import pytest
from argon2 import PasswordHasher

from harness import World, make_tenant, suite_settings, unavailable
from partnerhub.app import create_app
from partnerhub.auth import passwords
from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.config import Settings
from partnerhub.services.runtime import Runtime
from partnerhub.storage.migrate import upgrade
from partnerhub.storage.tables import metadata

PG_ADMIN = os.environ.get("PARTNERHUB_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("PARTNERHUB_TEST_REDIS", "redis://127.0.0.1:6379/0")
T = TypeVar("T")


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    """argon2id at its lowest cost in the test process (every tenant's root Core partner gets a
    password hash: ~25 ms each at the production cost, ~0.05 ms here). Still real argon2id
    hashes and verifications; the server processes that compat tests start keep the
    production parameters."""
    patch = pytest.MonkeyPatch()
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    patch.setattr(passwords, "_HASHER", hasher)
    patch.setattr(passwords, "_STAND_IN", hasher.hash("partnerhub-stand-in"))
    yield
    patch.undo()


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    if not reachable(host, port):
        unavailable(f"{name} is not reachable on {host}:{port}")


def in_thread(fn: Callable[[], T]) -> T:
    """Run blocking set-up that itself calls asyncio.run (Alembic) outside the test's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    in_thread(lambda: upgrade(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    name = f"partnerhub_test_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN.replace("postgresql://", "postgres://")

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    in_thread(lambda: asyncio.run(run(f'CREATE DATABASE "{name}"')))
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    in_thread(lambda: upgrade(url))
    yield url
    in_thread(lambda: asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')))


TABLES = ", ".join(t.name for t in reversed(metadata.sorted_tables))


async def _truncate(url: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql://", "postgres://"))
    try:
        await conn.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> str:
    if request.param == "sqlite":
        path = tmp_path / "partnerhub.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    await _truncate(url)
    return url


@pytest.fixture
def wipe_database(database_url: str, sqlite_template: Path) -> Callable[[], Awaitable[None]]:
    """Empties the test's database again (no rows, ids restarting), for a test that loads
    data into an empty database twice. Its connections must be closed first."""

    async def wipe() -> None:
        if database_url.startswith("sqlite:///"):
            path = Path(database_url.removeprefix("sqlite:///"))
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            shutil.copy(sqlite_template, path)
        else:
            await _truncate(database_url)

    return wipe


@pytest.fixture
def settings(database_url: str) -> Settings:
    return suite_settings(database_url)


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    runtime = Runtime.build(settings)
    app = create_app(settings, runtime)
    alice = await make_tenant(runtime.db, "alice")
    bob = await make_tenant(runtime.db, "bob")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://partnerhub.test") as client:
        yield World(client, runtime, alice, bob)
    await runtime.close()


ALL = list(ALL_SCOPES)
