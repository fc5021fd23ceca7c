"""Hood integrations (an account's SMS and e-mail senders)."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, select

from partnerhub.domain.hood_integrations import Integration
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.storage.repos.base import LockableRead, Repo, as_utc
from partnerhub.storage.tables import hood_integrations as integrations

_i = integrations.c
# The rule of domain.hood_integrations.effective_status, for filtering and sorting in SQL.
EFFECTIVE_STATUS = case(
    (and_(_i.status == "active", _i.verified_fingerprint == _i.settings_fingerprint), "active"),
    else_="inactive",
)
# Hood list-query field name → column expression.
COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": _i.id,
    "name": _i.name,
    "type": _i.type,
    "provider_id": _i.provider_id,
    "status": _i.status,
    "effective_status": EFFECTIVE_STATUS,
    "is_default": _i.is_default,
    "create_time": _i.create_time,
    "update_time": _i.update_time,
}
_GET = LockableRead(
    select(integrations).where(
        _i.account_id == bindparam("account_id"), _i.id == bindparam("integration_id")
    )
)


def _integration(row: Any) -> Integration:
    return Integration(
        id=row.id,
        account_id=row.account_id,
        version=row.version,
        name=row.name,
        type=row.type,
        provider_id=row.provider_id,
        settings=dict(row.settings),
        status=row.status,
        is_default=bool(row.is_default),
        settings_fingerprint=row.settings_fingerprint,
        verified_fingerprint=row.verified_fingerprint,
        create_time=as_utc(row.create_time),
        update_time=as_utc(row.update_time),
    )


class HoodIntegrationsRepo(Repo):
    async def get(
        self, account_id: int, integration_id: int, *, lock: bool = False
    ) -> Integration | None:
        params = {"account_id": account_id, "integration_id": integration_id}
        row = await self.read_one(_GET, params, lock=lock)
        return _integration(row) if row else None

    async def list(
        self, account_id: int, query: ListQuery, spec: ResourceSpec
    ) -> tuple[int, builtins.list[Integration]]:
        total, rows = await self.list_page(
            integrations, [_i.account_id == account_id], query, COLUMNS, spec
        )
        return total, [_integration(r) for r in rows]

    async def defaults(self, account_id: int, type: str) -> builtins.list[Integration]:
        """The account's default integration of `type` (at most one), locked."""
        stmt = select(integrations).where(
            _i.account_id == account_id, _i.type == type, _i.is_default == 1
        )
        return [_integration(r) for r in await self.conn.execute(self.for_update(stmt))]

    async def with_fingerprint(
        self, account_id: int, fingerprint: str
    ) -> builtins.list[Integration]:
        """The account's integrations whose current settings have this fingerprint, locked."""
        stmt = select(integrations).where(
            _i.account_id == account_id, _i.settings_fingerprint == fingerprint
        )
        return [_integration(r) for r in await self.conn.execute(self.for_update(stmt))]

    async def every(self, *, after: int, limit: int) -> builtins.list[Integration]:
        """Integrations of every account in id order from after `after` (key rotation)."""
        stmt = select(integrations).where(_i.id > after).order_by(_i.id).limit(limit)
        return [_integration(r) for r in await self.conn.execute(self.for_update(stmt))]
