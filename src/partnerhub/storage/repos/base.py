"""What every repository shares: the connection, the dialect, row locking and id issuance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, overload

from sqlalchemy import Select, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from partnerhub.domain.clock import utcnow

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


class Repo:
    def __init__(self, conn: AsyncConnection, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect

    def for_update(self, stmt: Select[Any], *, of: Table | None = None) -> Select[Any]:
        """Lock the selected rows (of `of` only, in a join) until commit; SQLite already holds
        the write lock."""
        if self.dialect != "postgresql":
            return stmt
        return stmt.with_for_update(of=of) if of is not None else stmt.with_for_update()

    async def insert_returning_id(self, table: Table, values: dict[str, Any]) -> int:
        result = await self.conn.execute(table.insert().values(**values).returning(table.c.id))
        return int(result.scalar_one())
