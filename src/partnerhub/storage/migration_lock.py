"""One migration at a time per database, however many hosts start together.

Without it, N `partnerhub migrate` / `serve` processes on an empty database each read "no
revision" and each create the tables: all but one fail ("table … already exists", a duplicate
key in `pg_type`). With it, the first runs the migrations and the others, once they get the
lock, find the schema at head and have nothing to do.

- PostgreSQL: a session advisory lock on a fixed key, taken on the migrating connection before
  its transaction starts and held until the upgrade has committed (a lost connection releases it).
- SQLite: an exclusive `flock` on `<database>.migrate-lock` beside the file. A lock file rather
  than `BEGIN IMMEDIATE`: it waits as long as it takes (SQLite's busy timeout would give up),
  leaves Alembic's own transaction handling alone, and the kernel releases it when a process
  dies. An in-memory database belongs to one process and needs none.
"""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# Any fixed 64-bit number, the same in every release: "partnerhub" in ASCII, truncated.
ADVISORY_KEY = 0x706172746E6572


@asynccontextmanager
async def migrations_serialized(connection: AsyncConnection) -> AsyncIterator[None]:
    """Hold the database's migration lock while the block runs on `connection`."""
    if connection.dialect.name == "postgresql":
        async with _advisory_lock(connection):
            yield
        return
    database = connection.engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with await asyncio.to_thread(Path(f"{database}.migrate-lock").open, "a") as lock:
        await asyncio.to_thread(fcntl.flock, lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


@asynccontextmanager
async def _advisory_lock(connection: AsyncConnection) -> AsyncIterator[None]:
    await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
    await connection.commit()  # a session lock: it outlives this transaction
    try:
        yield
    finally:
        await connection.rollback()  # nothing left open if the upgrade failed
        await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
        await connection.commit()
