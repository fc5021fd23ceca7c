"""The test-control API's own tables: snapshots, the request journal, faults and the cache
generation. Deployment-wide, so their methods take no account (the tenancy rule's documented
exception: these tables belong to the deployment's administrator)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update

from partnerhub.domain.clock import utcnow
from partnerhub.domain.test_control import (
    Fault,
    FaultSpec,
    JournalEntry,
    JournalFilter,
    SnapshotInfo,
)
from partnerhub.storage.connection import Conn
from partnerhub.storage.repos.base import as_utc
from partnerhub.storage.tables import test_control_state as state
from partnerhub.storage.tables import test_faults as faults
from partnerhub.storage.tables import test_journal as journal
from partnerhub.storage.tables import test_snapshots as snapshots

_STATE_ROW = 1


class TestControlRepo:
    def __init__(self, conn: Conn, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect

    # Snapshots

    async def put_snapshot(self, name: str, data: bytes) -> SnapshotInfo:
        """Store `data` under `name`, replacing a snapshot of that name."""
        taken_at = utcnow()
        await self.conn.execute(delete(snapshots).where(snapshots.c.name == name))
        await self.conn.execute(
            insert(snapshots).values(name=name, taken_at=taken_at, size_bytes=len(data), data=data)
        )
        return SnapshotInfo(name, taken_at, len(data))

    async def get_snapshot(self, name: str) -> tuple[SnapshotInfo, bytes] | None:
        row = (await self.conn.execute(select(snapshots).where(snapshots.c.name == name))).first()
        if row is None:
            return None
        return SnapshotInfo(row.name, as_utc(row.taken_at), row.size_bytes), bytes(row.data)

    async def list_snapshots(self, *, hidden: str) -> list[SnapshotInfo]:
        c = snapshots.c
        rows = await self.conn.execute(
            select(c.name, c.taken_at, c.size_bytes).where(c.name != hidden).order_by(c.name)
        )
        return [SnapshotInfo(r.name, as_utc(r.taken_at), r.size_bytes) for r in rows]

    async def delete_snapshot(self, name: str) -> bool:
        result = await self.conn.execute(delete(snapshots).where(snapshots.c.name == name))
        return bool(result.rowcount)

    # Journal

    async def record(self, entry: dict[str, Any], *, keep: int) -> None:
        """Append one entry and drop all but the newest `keep`."""
        result = await self.conn.execute(insert(journal).values(**entry))
        newest = result.inserted_primary_key[0]  # type: ignore[index]
        await self.conn.execute(delete(journal).where(journal.c.id <= newest - keep))

    async def journal(self, query: JournalFilter) -> list[JournalEntry]:
        """The newest `limit` entries that pass the filter, oldest first (arrival order)."""
        c = journal.c
        stmt = select(journal)
        if query.surface is not None:
            stmt = stmt.where(c.surface == query.surface)
        if query.method is not None:
            stmt = stmt.where(c.method == query.method)
        if query.status is not None:
            stmt = stmt.where(c.status == query.status)
        if query.path_prefix is not None:
            prefix = query.path_prefix
            stmt = stmt.where(func.substr(c.path, 1, len(prefix)) == prefix)
        rows = (await self.conn.execute(stmt.order_by(c.id.desc()).limit(query.limit))).all()
        return [
            JournalEntry(
                id=r.id,
                at=as_utc(r.at),
                method=r.method,
                path=r.path,
                query=r.query,
                status=r.status,
                surface=r.surface,
                account_id=r.account_id,
                request_id=r.request_id,
                duration_ms=r.duration_ms,
                fault_id=r.fault_id,
                body=r.body,
            )
            for r in reversed(rows)
        ]

    async def clear_journal(self) -> None:
        await self.conn.execute(delete(journal))

    # Faults

    async def add_fault(self, spec: FaultSpec) -> Fault:
        created_at = utcnow()
        result = await self.conn.execute(
            insert(faults).values(
                surface=spec.surface,
                method=spec.method,
                path=spec.path,
                status=spec.status,
                delay_ms=spec.delay_ms,
                retry_after=spec.retry_after,
                remaining=spec.times,
                probability=spec.probability,
                fired=0,
                created_at=created_at,
            )
        )
        fault_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return Fault(fault_id, spec, spec.times, 0, created_at)

    async def faults(self) -> list[Fault]:
        rows = await self.conn.execute(select(faults).order_by(faults.c.id))
        return [
            Fault(
                id=r.id,
                spec=FaultSpec(
                    surface=r.surface,
                    method=r.method,
                    path=r.path,
                    status=r.status,
                    delay_ms=r.delay_ms,
                    times=None,
                    probability=r.probability,
                    retry_after=r.retry_after,
                ),
                remaining=r.remaining,
                fired=r.fired,
                created_at=as_utc(r.created_at),
            )
            for r in rows
        ]

    async def fire(self, fault_id: int) -> bool:
        """Count one firing of the fault; False when it has none left (or is gone). Atomic:
        concurrent requests on any worker never fire it more than `times` times in all."""
        c = faults.c
        result = await self.conn.execute(
            update(faults)
            .where(c.id == fault_id, (c.remaining.is_(None)) | (c.remaining > 0))
            .values(
                fired=c.fired + 1,
                remaining=c.remaining - 1,  # NULL stays NULL: fires every time
            )
        )
        return bool(result.rowcount)

    async def delete_fault(self, fault_id: int) -> bool:
        result = await self.conn.execute(delete(faults).where(faults.c.id == fault_id))
        return bool(result.rowcount)

    async def clear_faults(self) -> None:
        await self.conn.execute(delete(faults))

    # Generation

    async def generation(self) -> int:
        found = (
            await self.conn.execute(select(state.c.generation).where(state.c.id == _STATE_ROW))
        ).scalar()
        return int(found or 0)

    async def bump_generation(self) -> int:
        now = await self.generation()
        if now == 0:
            await self.conn.execute(insert(state).values(id=_STATE_ROW, generation=1))
        else:
            await self.conn.execute(
                update(state)
                .where(state.c.id == _STATE_ROW)
                .values(generation=state.c.generation + 1)
            )
        return await self.generation()
