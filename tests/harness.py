"""Test harness types: tenants (an account, its token and members) and the world of a test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
from fastapi.routing import APIRoute

from partnerhub.config import Settings
from partnerhub.services import accounts
from partnerhub.services.runtime import Runtime, build_secrets
from partnerhub.storage.database import Database
from partnerhub.surfaces.seed import document as seed_document
from partnerhub.surfaces.seed import loader as seed_loader

# The seed file the README documents: every kind of entry (tests load it to have data in all).
EXAMPLE_SEED = Path(__file__).resolve().parent.parent / "examples" / "seed.yaml"
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(message: str) -> NoReturn:
    """Something a test needs is missing (a server, a browser): skipped locally with `message`
    shown, failed under CI=true, where everything must be there."""
    if IN_CI:
        pytest.fail(f"{message}; CI needs it (CI=true)")
    pytest.skip(message)


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


def suite_settings(database_url: str, **overrides: Any) -> Settings:
    """The settings every in-process test starts from (no .env file, in-process rate limits, no
    token cache), with a test's own `overrides`."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "redis_url": None,
        "token_cache_seconds": 0,
        "db_pool_size": 5,
        "log_level": "warning",
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def api_routes(world: World, prefixes: tuple[str, ...]) -> Iterator[APIRoute]:
    """Every API route of the app under test whose path starts with one of `prefixes`,
    included routers walked through."""
    yield from app_routes(world.client._transport.app, prefixes)  # type: ignore[attr-defined]


def app_routes(app: Any, prefixes: tuple[str, ...]) -> Iterator[APIRoute]:
    """Every API route of `app` whose path starts with one of `prefixes`, included routers
    walked through."""

    def walk(routes: list[object]) -> Iterator[APIRoute]:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                yield from walk(included.routes)
            elif isinstance(route, APIRoute) and route.path.startswith(prefixes):
                yield route

    yield from walk(app.router.routes)


async def load_seed(
    db: Database, settings: Settings, document: Any = None
) -> list[seed_loader.SeededAccount]:
    """Seed `document` (a parsed seed file; default: the example) in one transaction."""
    data = seed_document.read(EXAMPLE_SEED) if document is None else document
    async with db.transaction(write=True) as uow:
        return await seed_loader.load(uow, data, secrets=build_secrets(settings))
