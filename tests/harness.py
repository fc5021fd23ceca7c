"""Test harness types: tenants (an account, its token and members) and the world of a test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from partnerhub.services import accounts
from partnerhub.services.runtime import Runtime
from partnerhub.storage.database import Database


@dataclass
class Tenant:
    account_id: int
    token: str
    member_ids: list[str] = field(default_factory=list)

    def headers(self, token: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}", **extra}


@dataclass
class World:
    client: httpx.AsyncClient
    runtime: Runtime
    alice: Tenant
    bob: Tenant

    async def token(self, tenant: Tenant, scopes: list[str], **kw: Any) -> str:
        async with self.runtime.db.transaction(write=True) as uow:
            _, secret = await accounts.create_token(
                uow, account_id=tenant.account_id, name="test", scopes=scopes, **kw
            )
        return secret

    async def set_tier(self, tenant: Tenant, tier: str) -> None:
        async with self.runtime.db.transaction(write=True) as uow:
            await accounts.set_limits(uow, account_id=tenant.account_id, hood_tier=tier)


async def make_tenant(db: Database, name: str, tier: str = "E") -> Tenant:
    async with db.transaction(write=True) as uow:
        created = await accounts.create_account(uow, name=name, hood_tier=tier)
        account, secret = created.account, created.token
        members = [
            await accounts.create_member(
                uow,
                account_id=account.id,
                name=f"{name} manager {i}",
                email=f"manager{i}@{name}.example",
            )
            for i in range(2)
        ]
    return Tenant(account.id, secret, [str(m.id) for m in members])
