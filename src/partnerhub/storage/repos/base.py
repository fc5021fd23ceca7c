"""What every repository shares: the connection, the dialect, row locking and id issuance."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, overload

from sqlalchemy import Select, Table, bindparam, update

from partnerhub.domain.clock import utcnow
from partnerhub.storage.connection import Conn
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


@lru_cache(maxsize=512)
def _update_by_id(table: Table, columns: tuple[str, ...]) -> Prepared:
    # One prepared statement per table and set of columns updated.
    statement = update(table).where(
        table.c.account_id == bindparam("where_account_id"), table.c.id == bindparam("where_id")
    )
    return Prepared(statement, column_keys=columns)


class LockableRead:
    """A prepared SELECT and its SELECT … FOR UPDATE twin (locking the rows of `of` only,
    in a join)."""

    def __init__(self, stmt: Select[Any], *, of: Table | None = None) -> None:
        self.plain = Prepared(stmt)
        self.locking = Prepared(stmt.with_for_update(of=of))


class Repo:
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

    async def update_by_id(
        self, table: Table, account_id: int, row_id: int, values: dict[str, Any]
    ) -> None:
        """Set `values` on the account's row `row_id` of `table`."""
        params = {**values, "where_account_id": account_id, "where_id": row_id}
        await self.conn.run(_update_by_id(table, tuple(sorted(values))), params)

    async def insert_returning_id(self, table: Table, values: dict[str, Any]) -> int:
        result = await self.conn.execute(table.insert().values(**values).returning(table.c.id))
        return int(result.scalar_one())
