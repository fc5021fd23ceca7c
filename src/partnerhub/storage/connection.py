"""The connection repositories talk to: one interface over PostgreSQL (async, asyncpg) and
SQLite (synchronous, the standard library's sqlite3).

SQLite is an in-process library, so its statements run directly on the event loop's thread: a
statement on an indexed row takes microseconds, less than handing it to a driver thread and back
(aiosqlite) costs. Profiled under load, those hand-offs left the server half idle waiting for the
GIL (README "Performance"). PostgreSQL is a network round trip and stays async.

Besides SQLAlchemy statements (`execute`), a connection runs `Prepared` hot statements straight
on its driver (`fetch`, `run`), inside the same transaction.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

from partnerhub.storage import integrity
from partnerhub.storage.prepared import Prepared

Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None
# Called with the SQL of every prepared statement run (tests count statements per request).
Observer = Callable[[str], None]


class Conn(ABC):
    """The connection of one unit of work (inside its transaction, when it has one)."""

    def __init__(self, observers: Sequence[Observer] = ()) -> None:
        self._observers = observers

    @abstractmethod
    async def execute(self, statement: Executable, parameters: Params = None) -> CursorResult[Any]:
        raise NotImplementedError

    @abstractmethod
    def begin_nested(self) -> Any:
        """An async context manager: a savepoint, released on success, rolled back on error."""
        raise NotImplementedError

    @abstractmethod
    async def fetch(self, prepared: Prepared, params: Mapping[str, Any]) -> list[Any]:
        """Run a prepared statement; its rows, with attribute access by column key."""
        raise NotImplementedError

    async def fetch_one(self, prepared: Prepared, params: Mapping[str, Any]) -> Any | None:
        rows = await self.fetch(prepared, params)
        return rows[0] if rows else None

    @abstractmethod
    async def run(self, prepared: Prepared, params: Mapping[str, Any]) -> None:
        """Run a prepared statement that returns no rows."""
        raise NotImplementedError

    def _observe(self, sql: str) -> None:
        for observer in self._observers:
            observer(sql)


def _translated(exc: BaseException, sql: str | None = None) -> BaseException:
    """A unique or foreign-key violation as its domain error (storage/integrity.py), raised
    where the statement ran so a service may catch it inside a savepoint; others unchanged."""
    return integrity.domain_error(exc, sql) or exc


class AsyncConn(Conn):
    """PostgreSQL: SQLAlchemy in autocommit mode over an asyncpg connection whose transaction
    the `Database` owns, so SQLAlchemy statements and prepared ones share it."""

    def __init__(
        self,
        conn: AsyncConnection,
        driver: asyncpg.Connection,
        observers: Sequence[Observer] = (),
    ) -> None:
        super().__init__(observers)
        self._conn = conn
        self._driver = driver
        self._dialect = conn.dialect

    async def execute(self, statement: Executable, parameters: Params = None) -> CursorResult[Any]:
        try:
            return await self._conn.execute(statement, parameters)
        except integrity.DRIVER_ERRORS as exc:
            raise _translated(exc) from exc

    def begin_nested(self) -> Any:
        return self._conn.begin_nested()

    async def fetch(self, prepared: Prepared, params: Mapping[str, Any]) -> list[Any]:
        c = prepared.on(self._dialect)
        self._observe(c.sql)
        try:
            return c.rows(await self._driver.fetch(c.sql, *c.args(params)))
        except integrity.DRIVER_ERRORS as exc:
            raise _translated(exc, c.sql) from exc

    async def run(self, prepared: Prepared, params: Mapping[str, Any]) -> None:
        c = prepared.on(self._dialect)
        self._observe(c.sql)
        try:
            await self._driver.execute(c.sql, *c.args(params))
        except integrity.DRIVER_ERRORS as exc:
            raise _translated(exc, c.sql) from exc


class SyncConn(Conn):
    def __init__(self, conn: SyncConnection, observers: Sequence[Observer] = ()) -> None:
        super().__init__(observers)
        self._conn = conn
        self._dialect = conn.dialect
        self._driver: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]

    async def execute(self, statement: Executable, parameters: Params = None) -> CursorResult[Any]:
        try:
            return self._conn.execute(statement, parameters)
        except integrity.DRIVER_ERRORS as exc:
            raise _translated(exc) from exc

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        with self._conn.begin_nested():
            yield

    async def fetch(self, prepared: Prepared, params: Mapping[str, Any]) -> list[Any]:
        c = prepared.on(self._dialect)
        self._observe(c.sql)
        try:
            return c.rows(self._driver.execute(c.sql, c.args(params)).fetchall())
        except integrity.DRIVER_ERRORS as exc:
            raise _translated(exc, c.sql) from exc

    async def run(self, prepared: Prepared, params: Mapping[str, Any]) -> None:
        c = prepared.on(self._dialect)
        self._observe(c.sql)
        try:
            self._driver.execute(c.sql, c.args(params))
        except integrity.DRIVER_ERRORS as exc:
            raise _translated(exc, c.sql) from exc
