"""The connection repositories talk to: one interface over an async (PostgreSQL) or a
synchronous (SQLite) SQLAlchemy connection.

SQLite is an in-process library, so its statements run directly on the event loop's thread: a
statement on an indexed row takes microseconds, less than handing it to a driver thread and back
(aiosqlite) costs. Profiled under load, those hand-offs left the server half idle waiting for the
GIL (README "Performance"). PostgreSQL is a network round trip and stays async.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


class Conn:
    """A connection inside one open transaction."""

    async def execute(self, statement: Executable, parameters: Params = None) -> CursorResult[Any]:
        raise NotImplementedError

    def begin_nested(self) -> Any:
        """An async context manager: a savepoint, released on success, rolled back on error."""
        raise NotImplementedError


class AsyncConn(Conn):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def execute(self, statement: Executable, parameters: Params = None) -> CursorResult[Any]:
        return await self._conn.execute(statement, parameters)

    def begin_nested(self) -> Any:
        return self._conn.begin_nested()


class SyncConn(Conn):
    def __init__(self, conn: SyncConnection) -> None:
        self._conn = conn

    async def execute(self, statement: Executable, parameters: Params = None) -> CursorResult[Any]:
        return self._conn.execute(statement, parameters)

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        with self._conn.begin_nested():
            yield
