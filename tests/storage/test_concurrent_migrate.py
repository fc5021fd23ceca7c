"""Several hosts rolling out together on an empty database: every `partnerhub migrate` run at
once exits 0 and the schema ends at head (storage/migration_lock.py serializes them)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest

from partnerhub.storage.migrate import alembic_config

PROCESSES = 4
ROUNDS = 2


def _head() -> str:
    from alembic.script import ScriptDirectory

    (head,) = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    return head


def _migrate_at_once(database_url: str) -> list[subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERHUB_")}
    env["PARTNERHUB_DATABASE_URL"] = database_url
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "partnerhub", "migrate"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    done = []
    for process in running:
        out, err = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def _assert_all_succeeded(runs: list[subprocess.CompletedProcess[str]]) -> None:
    failures = [run.stderr[-600:] for run in runs if run.returncode != 0]
    assert failures == []


def _pg_admin(pytestconfig: pytest.Config) -> str:
    """tests/conftest.py's PG_ADMIN, once its `require_service` has said PostgreSQL is up."""
    root = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    root.require_service("PostgreSQL", "127.0.0.1", 5432)
    admin: str = root.PG_ADMIN
    return admin


async def _pg(admin: str, sql: str, database: str = "") -> list[asyncpg.Record]:
    url = admin.replace("postgresql://", "postgres://")
    if database:
        url = url.rsplit("/", 1)[0] + f"/{database}"
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


def test_concurrent_migrations_on_an_empty_sqlite_database(tmp_path: Path) -> None:
    for round in range(ROUNDS):
        path = tmp_path / f"round{round}.db"
        _assert_all_succeeded(_migrate_at_once(f"sqlite:///{path}"))
        with sqlite3.connect(path) as conn:
            versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert versions == [(_head(),)]


def test_concurrent_migrations_on_an_empty_postgres_database(pytestconfig: pytest.Config) -> None:
    admin = _pg_admin(pytestconfig)
    for _ in range(ROUNDS):
        name = f"partnerhub_migrate_{uuid.uuid4().hex[:10]}"
        asyncio.run(_pg(admin, f'CREATE DATABASE "{name}"'))
        try:
            url = admin.rsplit("/", 1)[0] + f"/{name}"
            _assert_all_succeeded(_migrate_at_once(url))
            rows = asyncio.run(_pg(admin, "SELECT version_num FROM alembic_version", name))
            assert [tuple(r) for r in rows] == [(_head(),)]
        finally:
            asyncio.run(_pg(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
