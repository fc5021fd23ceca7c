"""`partnerhub secrets rotate`: every stored secret re-encrypted under the current key, the
keyed fingerprints recomputed, each integration's verification kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from harness import World
from partnerhub.auth.secrets import Secrets, UndecryptableSecret
from partnerhub.config import Settings
from partnerhub.services import hood_integrations
from partnerhub.storage.tables import hood_integrations as table
from provider_servers import HttpStub, http_stub, twilio_routes

OLD, NEW = "old-key-" + "o" * 24, "new-key-" + "n" * 24
SID, TOKEN = "AC" + "2" * 32, "r" * 32
TWILIO = {"account_sid": SID, "auth_token": TOKEN, "default_phone_number": "+14155550100"}


@pytest.fixture
def twilio() -> Iterator[HttpStub]:
    with http_stub(twilio_routes(SID, TOKEN)) as stub:
        yield stub


@pytest.fixture
def settings(database_url: str, twilio: HttpStub) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=OLD,
        token_cache_seconds=0,
        log_level="warning",
        provider_twilio_base_url=twilio.url,
        _env_file=None,  # type: ignore[call-arg]
    )


async def _rows(world: World) -> list[Any]:
    async with world.runtime.db.transaction() as uow:
        return list(await uow.conn.execute(select(table).order_by(table.c.id)))


async def test_rotate_reencrypts_and_keeps_verification(world: World) -> None:
    h = {**world.alice.headers(), "Content-Type": "application/json"}
    body = {"name": "SMS", "provider_id": "1000", "settings": TWILIO}
    verified = (await world.client.post("/v1/hood/integrations", json=body, headers=h)).json()
    other = {**body, "settings": {**TWILIO, "auth_token": "u" * 32}}
    unverified = (await world.client.post("/v1/hood/integrations", json=other, headers=h)).json()
    response = await world.client.post("/v1/hood/integrations/validate", json=body, headers=h)
    assert response.status_code == 204, response.text
    before = await _rows(world)

    rotated = Secrets(NEW, [OLD])
    async with world.runtime.db.transaction(write=True) as uow:
        assert await hood_integrations.rotate_secrets(uow, secrets=rotated) == 2
    after = await _rows(world)

    only_new = Secrets(NEW)
    assert [only_new.decrypt(r.settings["auth_token"]) for r in after] == [TOKEN, "u" * 32]
    with pytest.raises(UndecryptableSecret):
        Secrets(OLD).decrypt(after[0].settings["auth_token"])
    for old_row, new_row in zip(before, after, strict=True):
        assert new_row.settings_fingerprint != old_row.settings_fingerprint
        assert new_row.version == old_row.version + 1
    assert after[0].verified_fingerprint == after[0].settings_fingerprint
    assert after[1].verified_fingerprint is None
    # A second run finds nothing left to do.
    async with world.runtime.db.transaction(write=True) as uow:
        assert await hood_integrations.rotate_secrets(uow, secrets=rotated) == 0
    assert {verified["id"], unverified["id"]} == {str(r.id) for r in after}
