"""Stored first responses of creates sent with an Idempotency-Key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from partnerhub.storage.integrity import UniqueViolation
from partnerhub.storage.repos.base import Repo, as_utc, utcnow
from partnerhub.storage.tables import idempotency_keys


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: str
    status_code: int | None
    body: bytes | None
    headers: dict[str, str]
    created_at: datetime


class IdempotencyRepo(Repo):
    def _key(self, account_id: int, surface: str, key: str) -> tuple[object, ...]:
        c = idempotency_keys.c
        return (c.account_id == account_id, c.surface == surface, c.key == key)

    async def claim(
        self, account_id: int, surface: str, key: str, request_hash: str, *, older_than: datetime
    ) -> StoredResponse | None:
        """Claim the key for this request; answer the earlier claim instead if there is one.

        A concurrent claim of the same key waits on the primary key until the first commits.
        Claims older than `older_than` have expired and are replaced.
        """
        where = self._key(account_id, surface, key)
        await self.conn.execute(
            delete(idempotency_keys).where(*where, idempotency_keys.c.created_at < older_than)  # type: ignore[arg-type]
        )
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(
                    idempotency_keys.insert().values(
                        account_id=account_id,
                        surface=surface,
                        key=key,
                        request_hash=request_hash,
                        created_at=utcnow(),
                    )
                )
        except UniqueViolation:
            row = (await self.conn.execute(select(idempotency_keys).where(*where))).one()  # type: ignore[arg-type]
            return StoredResponse(
                request_hash=row.request_hash,
                status_code=row.status_code,
                body=row.body,
                headers=dict(row.headers or {}),
                created_at=as_utc(row.created_at),
            )
        return None

    async def store(
        self,
        account_id: int,
        surface: str,
        key: str,
        *,
        status_code: int,
        body: bytes,
        headers: dict[str, str],
    ) -> None:
        await self.conn.execute(
            update(idempotency_keys)
            .where(*self._key(account_id, surface, key))  # type: ignore[arg-type]
            .values(status_code=status_code, body=body, headers=headers)
        )
