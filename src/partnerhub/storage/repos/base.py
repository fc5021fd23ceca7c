"""What every repository shares: the connection, the dialect, row locking and id issuance."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, overload

from sqlalchemy import ColumnElement, CursorResult, Select, Table, func, select

from partnerhub.domain.clock import utcnow
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.storage.connection import Conn
from partnerhub.storage.listquery_sql import order_by, where_clauses
from partnerhub.storage.prepared import Prepared

__all__ = ["Repo", "as_utc", "utcnow"]


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every datetime leaving storage is UTC-aware."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@lru_cache(maxsize=256)
def _row_type(keys: tuple[str, ...]) -> Callable[[Any], Any] | None:
    if len(set(keys)) != len(keys) or not all(k.isidentifier() and k[0] != "_" for k in keys):
        return None
    make: Callable[[Any], Any] = namedtuple("Row", keys)._make  # type: ignore[attr-defined]
    return make


def plain_rows(result: CursorResult[Any]) -> Sequence[Any]:
    """A result's rows as named tuples: a page's rows are read attribute by attribute into
    domain objects, and a SQLAlchemy Row's attribute costs ~5× a named tuple's (13 µs against
    2.6 µs for a Core partner's 40 columns)."""
    make = _row_type(tuple(result.keys()))
    return result.all() if make is None else [make(row) for row in result]


class LockableRead:
    """A prepared SELECT and its SELECT … FOR UPDATE twin (locking the rows of `of` only,
    in a join)."""

    def __init__(self, stmt: Select[Any], *, of: Table | None = None) -> None:
        self.plain = Prepared(stmt)
        self.locking = Prepared(stmt.with_for_update(of=of))


class Repo:
    """A repository: the statements of one kind of object, run on the unit of work's connection.

    Tenancy: every method takes the account (`account_id` first) and every statement it runs
    filters on it; a query without the account does not exist. The documented exceptions are
    look-ups that come before any account is known (a token by its hash, a Core login).

    Which execution call to use:

    - `self.conn.execute(statement)`: a SQLAlchemy Core statement, built where it is used. The
      default, for anything not on a per-request hot path (lists, searches, creates, admin).
    - `self.conn.fetch` / `fetch_one` / `run` with a module-level `Prepared`: the hot
      per-request statements (one object's read, its update, its history row), compiled once
      and run straight on the driver (storage/prepared.py says why).
    - `self.read_one(read, params, lock=...)` with a module-level `LockableRead`: a hot read of
      one row that a read-modify-write may need locked; it picks the FOR UPDATE twin only where
      rows are locked (PostgreSQL; SQLite writers already hold the database's write lock).
    - Rows of versioned objects (a version and a history) are never written here: the
      change operation writes them (`ChangesRepo`, through services/change.py), so that a
      version, its row and its history entry always move together.
    - `self.for_update(stmt)`: the same rule for a non-hot `execute` statement whose rows a
      read-modify-write needs locked.
    - `self.paginate(...)`: a list page and the total it is a page of (two statements);
      `self.list_page(...)` for a Hood list query.
    """

    def __init__(self, conn: Conn, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect
        # SQLite writers already hold the database's write lock (BEGIN IMMEDIATE).
        self._locks_rows = dialect == "postgresql"

    def for_update(self, stmt: Select[Any]) -> Select[Any]:
        """Lock the selected rows until commit."""
        return stmt.with_for_update() if self._locks_rows else stmt

    async def read_one(self, read: LockableRead, params: dict[str, Any], *, lock: bool) -> Any:
        """The row `read` finds, locked until commit with `lock`; None if there is none."""
        stmt = read.locking if lock and self._locks_rows else read.plain
        return await self.conn.fetch_one(stmt, params)

    async def insert_returning_id(self, table: Table, values: dict[str, Any]) -> int:
        result = await self.conn.execute(table.insert().values(**values).returning(table.c.id))
        return int(result.scalar_one())

    async def paginate(
        self,
        table: Table,
        where: Sequence[ColumnElement[bool]],
        *,
        order: Sequence[ColumnElement[Any]],
        limit: int,
        offset: int = 0,
        page: Select[Any] | None = None,
        after: ColumnElement[bool] | None = None,
        counted: Sequence[ColumnElement[bool]] | None = None,
    ) -> tuple[int, Sequence[Any]]:
        """(how many rows of `table` match `where`, the page of them in `order`).

        `page` selects the page's columns (all of `table`'s by default); `after` narrows the
        page but not the total (a keyset cursor). `counted`: the same rows as `where` in a form
        that counts faster (another index). A page of `limit` 0 costs no statement.
        """
        count = (
            select(func.count()).select_from(table).where(*(where if counted is None else counted))
        )
        total = int((await self.conn.execute(count)).scalar_one())
        if limit == 0:
            return total, []
        stmt = (select(table) if page is None else page).where(*where)
        if after is not None:
            stmt = stmt.where(after)
        stmt = stmt.order_by(*order).limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        return total, plain_rows(await self.conn.execute(stmt))

    async def list_page(
        self,
        table: Table,
        where: Sequence[ColumnElement[bool]],
        query: ListQuery,
        columns: Mapping[str, ColumnElement[Any]],
        spec: ResourceSpec,
    ) -> tuple[int, Sequence[Any]]:
        """`paginate` for a Hood list query: `where` and the query's filters, its sort, its page."""
        return await self.paginate(
            table,
            [*where, *where_clauses(query, columns, spec, self.dialect)],
            order=order_by(query, columns),
            limit=query.per_page,
            offset=query.offset,
        )
