"""The test-control API on: the real app with PARTNERHUB_TEST_API=true, and an admin token whose
fixture takes the baseline after the tenants and itself were made (as `serve` takes it after
bootstrapping)."""

from __future__ import annotations

import pytest

from harness import World, suite_settings
from partnerhub.auth.scopes import ADMIN_SCOPE
from partnerhub.config import Settings
from partnerhub.services import test_snapshots


@pytest.fixture
def settings(database_url: str) -> Settings:
    return suite_settings(database_url, test_api=True)


@pytest.fixture
async def admin(world: World) -> dict[str, str]:
    """Headers with an admin token (alice's account, scope partnerhub.admin only)."""
    secret = await world.token(world.alice, [ADMIN_SCOPE])
    async with world.runtime.db.transaction(write=True) as uow:
        await test_snapshots.take_baseline(uow)
    return {"Authorization": f"Bearer {secret}"}
