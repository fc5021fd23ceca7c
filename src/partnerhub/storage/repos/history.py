"""The change log of every object."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import func, select

from partnerhub.domain.history import HistoryEntry
from partnerhub.storage.prepared import Prepared
from partnerhub.storage.repos.base import Repo, as_utc
from partnerhub.storage.tables import history

COLUMNS = (
    "account_id",
    "object_type",
    "object_id",
    "version",
    "action",
    "surface",
    "token_id",
    "changed_at",
    "changes",
    "source",
)
_INSERT_ONE = Prepared(history.insert().inline(), column_keys=COLUMNS)


def entry_row(account_id: int, entry: HistoryEntry) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "version": entry.version,
        "action": entry.action,
        "surface": entry.surface,
        "token_id": entry.token_id,
        "changed_at": entry.changed_at,
        "changes": entry.changes,
        "source": entry.source,
    }


class HistoryRepo(Repo):
    async def add(self, account_id: int, entries: Sequence[HistoryEntry]) -> None:
        """Append entries: one statement however many (a cascade's children)."""
        if len(entries) == 1:
            await self.conn.run(_INSERT_ONE, entry_row(account_id, entries[0]))
        elif entries:
            await self.conn.execute(history.insert(), [entry_row(account_id, e) for e in entries])

    async def list(
        self, account_id: int, object_type: str, object_id: str, *, limit: int, offset: int
    ) -> tuple[int, list[HistoryEntry]]:
        where = (
            history.c.account_id == account_id,
            history.c.object_type == object_type,
            history.c.object_id == object_id,
        )
        total, rows = await self.paginate(
            history, where, order=[history.c.id.desc()], limit=limit, offset=offset
        )
        entries = [
            HistoryEntry(
                object_type=r.object_type,
                object_id=r.object_id,
                version=r.version,
                action=r.action,
                surface=r.surface,
                token_id=r.token_id,
                changed_at=as_utc(r.changed_at),
                changes=r.changes,
                source=r.source,
            )
            for r in rows
        ]
        return total, entries

    async def list_for_objects(
        self, account_id: int, object_type: str, object_ids: Sequence[str], *, limit_each: int
    ) -> dict[str, builtins.list[HistoryEntry]]:
        """The newest `limit_each` entries of each object, newest first, in one query."""
        if not object_ids:
            return {}
        names = [f.name for f in fields(HistoryEntry)]
        newest = func.row_number().over(
            partition_by=history.c.object_id, order_by=history.c.id.desc()
        )
        ranked = (
            select(*(history.c[n] for n in names), newest.label("position"))
            .where(
                history.c.account_id == account_id,
                history.c.object_type == object_type,
                history.c.object_id.in_(object_ids),
            )
            .subquery()
        )
        rows = await self.conn.execute(
            select(*(ranked.c[n] for n in names))
            .where(ranked.c.position <= limit_each)
            .order_by(ranked.c.object_id, ranked.c.position)
        )
        found: dict[str, builtins.list[HistoryEntry]] = {}
        for r in rows:
            entry = HistoryEntry(**{**r._mapping, "changed_at": as_utc(r.changed_at)})
            found.setdefault(entry.object_id, []).append(entry)
        return found
