"""The migrations build exactly the schema `tables.py` declares (columns, types, indexes), and
`make migration` writes the next one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from partnerhub.storage import migrate
from partnerhub.storage.tables import metadata
from partnerhub.storage.urls import async_url


def _compare(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_the_migrated_schema_is_the_declared_one(database_url: str) -> None:
    engine = create_async_engine(async_url(database_url))
    try:
        async with engine.connect() as conn:
            differences = await conn.run_sync(_compare)
    finally:
        await engine.dispose()
    assert differences == []


def test_a_new_migration_is_numbered_next_and_empty_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `make migration` on a copy of the migrations, so the tree stays as it is.
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    newest = max(int(p.name[:4]) for p in (copy / "versions").glob("[0-9]*.py"))

    written = migrate.new_revision("Nothing changed")

    assert written == copy / "versions" / f"{newest + 1:04d}_nothing_changed.py"
    script = written.read_text()
    assert f"Revision ID: {newest + 1:04d}\n" in script
    assert "op." not in script  # tables.py and the migrations agree: nothing to do


def test_0009_stops_on_logins_colliding_ignoring_case_and_names_them(tmp_path: Path) -> None:
    import sqlite3

    from partnerhub.storage.tables import core_partners

    path = tmp_path / "collide.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url, "0008")
    required = [c.name for c in core_partners.columns if not c.nullable and c.name != "id"]
    with sqlite3.connect(path) as conn:  # foreign keys are off: no account row needed
        for n, login in enumerate(["Ann", "ANN", "bob"]):
            values = {name: 1 for name in required}
            values.update(login=login, partner_sid=f"sid-{n}", display_id=f"CX{n:08d}")
            conn.execute(
                f"INSERT INTO core_partners ({', '.join(values)}) "
                f"VALUES ({', '.join('?' for _ in values)})",
                list(values.values()),
            )
    with pytest.raises(RuntimeError, match=r"collide ignoring case: 'ANN', 'Ann'\."):
        migrate.upgrade(url)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0008",)]
