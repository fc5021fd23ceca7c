"""Engine set-up and the unit of work: one connection, one transaction per request or command.

One `Database` interface, one class per backend: `SqliteDatabase`, `PostgresDatabase`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from typing import Any

import asyncpg
import orjson
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from partnerhub.errors import Unavailable
from partnerhub.storage.connection import AsyncConn, Observer, SyncConn
from partnerhub.storage.unit_of_work import UnitOfWork
from partnerhub.storage.urls import async_url, sync_url


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# JSON columns are (de)serialized on every read and write of an object: orjson, not json.
# Errors never quote a statement's values: they are logins, e-mails and password hashes.
_ENGINE_OPTIONS: dict[str, Any] = {
    "json_serializer": _dumps,
    "json_deserializer": orjson.loads,
    "hide_parameters": True,
}


def _configure_sqlite(engine: Engine) -> None:
    # SQLite transactions are begun by hand so writers can take the write lock up front
    # (BEGIN IMMEDIATE): a read-modify-write can then never lose an update or deadlock.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        # Straight to the driver: BEGIN needs none of SQLAlchemy's statement machinery.
        write = conn.get_execution_options().get("write")
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")


class Database(ABC):
    """Owns the engines; hands out units of work. `Database.open(url)` picks the backend:
    `SqliteDatabase` or `PostgresDatabase`."""

    dialect: str

    def __init__(self) -> None:
        self._observers: list[Observer] = []

    @staticmethod
    def open(database_url: str, *, pool_size: int = 10) -> Database:
        """The database at `database_url` (`sqlite:///…` or `postgresql://…`), with pools of
        `pool_size` connections."""
        if make_url(async_url(database_url)).get_backend_name() == "sqlite":
            return SqliteDatabase(database_url, pool_size=pool_size)
        return PostgresDatabase(database_url, pool_size=pool_size)

    @abstractmethod
    def transaction(self, *, write: bool = False) -> AbstractAsyncContextManager[UnitOfWork]:
        """A unit of work: for writing, one transaction, committed when the block ends and
        rolled back if it raises; for reading, statements that only read. Once it has ended
        without error (committed, for a writing one) its `after_commit` callbacks run.

        A database that cannot be reached, or a connection lost on the way, is `Unavailable`.
        """
        raise NotImplementedError

    @abstractmethod
    def snapshot(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """A unit of work that reads one state of the database throughout (an export), and
        writes nothing; writers meanwhile go on."""
        raise NotImplementedError

    @property
    @abstractmethod
    def sync_engines(self) -> list[Engine]:
        """Every engine, as the synchronous `Engine` SQLAlchemy's events attach to."""
        raise NotImplementedError

    @abstractmethod
    async def dispose(self) -> None:
        """Close every connection."""
        raise NotImplementedError

    @contextmanager
    def observe(self, observer: Observer) -> Iterator[None]:
        """Call `observer` with the SQL of every statement run while the block lasts
        (BEGIN/COMMIT aside); tests count statements with it."""

        def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            observer(statement)

        for engine in self.sync_engines:
            event.listen(engine, "before_cursor_execute", before)
        self._observers.append(observer)
        try:
            yield
        finally:
            self._observers.remove(observer)
            for engine in self.sync_engines:
                event.remove(engine, "before_cursor_execute", before)

    async def ping(self) -> bool:
        try:
            async with self.transaction() as uow:
                await uow.conn.execute(text("SELECT 1"))
        except Exception:  # readiness: any failure to reach the database means "not ready"
            return False
        return True


class SqliteDatabase(Database):
    """SQLite through a synchronous engine (the standard library's sqlite3) whose statements
    run on the event loop's own thread (storage/connection.py says why)."""

    dialect = "sqlite"

    def __init__(self, database_url: str, *, pool_size: int = 10) -> None:
        super().__init__()
        # SQLite has one write lock per file. Writers of this process queue for it here, in
        # order, instead of in SQLite's busy handler, which polls with sleeps of up to 100 ms:
        # under load that handler gave PATCH a p99 of ~0.9 s (bench/, README "Performance").
        # Other processes (workers) still meet in the busy handler, one writer each at most.
        self._write_queue = asyncio.Lock()
        # Idle connections by mode (writing or not), each already set to its mode: setting a
        # connection's execution options costs more than SQLite's own BEGIN and COMMIT. Each
        # mode keeps up to `pool_size` idle.
        self._idle: dict[bool, list[SyncConnection]] = {True: [], False: []}
        self._idle_max = pool_size
        # Checking a connection out must never wait: a wait would block the event loop.
        # SQLite connections are cheap, so the pool keeps `pool_size` and opens more freely.
        self.engine = create_engine(
            sync_url(database_url),
            **_ENGINE_OPTIONS,
            pool_size=pool_size,
            max_overflow=-1,
            connect_args={"check_same_thread": False},
        )
        _configure_sqlite(self.engine)

    @property
    def sync_engines(self) -> list[Engine]:
        return [self.engine]

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[UnitOfWork]:
        # A reading transaction is a snapshot already (WAL), and takes no write lock.
        async with self._unit_of_work(write=False) as uow:
            yield uow

    @asynccontextmanager
    async def transaction(self, *, write: bool = False) -> AsyncIterator[UnitOfWork]:
        if write:
            async with self._write_queue, self._unit_of_work(write=True) as uow:
                yield uow
        else:
            async with self._unit_of_work(write=False) as uow:
                yield uow
        uow.run_after_commit()

    @asynccontextmanager
    async def _unit_of_work(self, *, write: bool) -> AsyncIterator[UnitOfWork]:
        try:
            idle = self._idle[write]
            conn = idle.pop() if idle else self.engine.connect().execution_options(write=write)
        except (DBAPIError, OSError) as exc:
            raise Unavailable("The database is unreachable.") from exc
        try:
            with conn.begin():
                yield UnitOfWork(SyncConn(conn, self._observers), self.dialect)
        except DBAPIError as exc:
            _raise_unavailable(exc)
            raise
        except sqlite3.OperationalError as exc:  # from a prepared statement: locked, I/O
            raise Unavailable("The database is unreachable or busy.") from exc
        finally:
            # Kept open between units of work rather than returned to SQLAlchemy's pool:
            # checking a connection out and back in cost ~20 µs a request, half of what a
            # transaction's bookkeeping costs in all (SQLite itself: ~7 µs). SQLite keeps a
            # transaction open when its COMMIT fails (a deferred foreign key), unknown to
            # SQLAlchemy: such a connection is closed, which rolls it back.
            if (
                conn.invalidated
                or conn.in_transaction()
                or len(idle) >= self._idle_max
                or conn.connection.driver_connection.in_transaction  # type: ignore[union-attr]
            ):
                conn.close()
            else:
                idle.append(conn)

    async def dispose(self) -> None:
        for idle in self._idle.values():
            while idle:
                idle.pop().close()
        self.engine.dispose()


class PostgresDatabase(Database):
    """PostgreSQL through async engines (asyncpg): one for writing units of work and one for
    reading ones, whose sessions are read-only."""

    dialect = "postgresql"

    def __init__(self, database_url: str, *, pool_size: int = 10) -> None:
        super().__init__()
        # Both in autocommit mode: a writing unit of work runs in asyncpg's own transaction
        # (see _unit_of_work); a reading one needs none. At READ COMMITTED each statement
        # reads its own snapshot inside a transaction or not, so BEGIN and COMMIT would buy
        # a read nothing but two round trips. Its session is read-only, so a write that
        # strays into a reading unit of work fails instead of committing piecemeal.
        self.engine = _pg_engine(database_url, pool_size)
        self.read_engine = _pg_engine(
            database_url,
            pool_size,
            connect_args={"server_settings": {"default_transaction_read_only": "on"}},
        )

    @property
    def sync_engines(self) -> list[Engine]:
        return [self.engine.sync_engine, self.read_engine.sync_engine]

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[UnitOfWork]:
        # Reading units of work have no transaction (each statement its own snapshot): this
        # one is a transaction, REPEATABLE READ and READ ONLY from its first statement on.
        async with self._unit_of_work(self.engine, write=True) as uow:
            await uow.conn.execute(
                text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            )
            yield uow

    @asynccontextmanager
    async def transaction(self, *, write: bool = False) -> AsyncIterator[UnitOfWork]:
        engine = self.engine if write else self.read_engine
        async with self._unit_of_work(engine, write=write) as uow:
            yield uow
        uow.run_after_commit()

    @asynccontextmanager
    async def _unit_of_work(self, engine: AsyncEngine, *, write: bool) -> AsyncIterator[UnitOfWork]:
        conn = engine.connect()
        try:
            await conn.start()
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
        except (DBAPIError, OSError) as exc:
            raise Unavailable("The database is unreachable.") from exc
        try:
            uow = UnitOfWork(AsyncConn(conn, driver, self._observers), self.dialect)
            if write:
                async with driver.transaction():
                    yield uow
            else:
                yield uow
        except DBAPIError as exc:
            _raise_unavailable(exc)
            raise
        except (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError) as exc:
            raise Unavailable("The database is unreachable.") from exc
        finally:
            # SQLAlchemy's reset-on-return knows nothing of asyncpg's transaction: never hand
            # the pool a connection still inside one (a cancellation mid-COMMIT, say).
            if driver.is_in_transaction():
                await conn.invalidate()
            await conn.close()

    async def dispose(self) -> None:
        for engine in (self.engine, self.read_engine):
            await engine.dispose()


def _pg_engine(database_url: str, pool_size: int, **options: Any) -> AsyncEngine:
    return create_async_engine(
        async_url(database_url),
        **_ENGINE_OPTIONS,
        **options,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=False,
        isolation_level="AUTOCOMMIT",
    )


def _raise_unavailable(exc: DBAPIError) -> None:
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        raise Unavailable("The database is unreachable or busy.") from exc
