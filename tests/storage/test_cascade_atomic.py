"""A cascade fails in the middle (a trigger refuses the last campaign's update): nothing of it
stays, neither the partner's change nor any child's, nor any history entry."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from cascade_kit import family, partner, snapshot
from harness import World

SQLITE = """CREATE TRIGGER refuse_one BEFORE UPDATE ON hood_campaigns WHEN NEW.id = {id}
BEGIN SELECT RAISE(ABORT, 'injected failure'); END"""
PG_FUNCTION = """CREATE OR REPLACE FUNCTION refuse_one() RETURNS trigger AS $$
BEGIN IF NEW.id = {id} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END
$$ LANGUAGE plpgsql"""
PG_TRIGGER = """CREATE TRIGGER refuse_one BEFORE UPDATE ON hood_campaigns
FOR EACH ROW EXECUTE FUNCTION refuse_one()"""


@pytest.fixture
async def refuse(world: World) -> AsyncIterator[object]:
    """A function installing the trigger for one campaign id; dropped after the test."""
    db = world.runtime.db

    async def install(campaign_id: int) -> None:
        async with db.transaction(write=True) as uow:
            if db.dialect == "sqlite":
                await uow.conn.execute(text(SQLITE.format(id=campaign_id)))
            else:
                await uow.conn.execute(text(PG_FUNCTION.format(id=campaign_id)))
                await uow.conn.execute(text(PG_TRIGGER))

    yield install
    async with db.transaction(write=True) as uow:
        await uow.conn.execute(
            text(
                "DROP TRIGGER IF EXISTS refuse_one"
                + ("" if db.dialect == "sqlite" else " ON hood_campaigns")
            )
        )
        if db.dialect != "sqlite":
            await uow.conn.execute(text("DROP FUNCTION IF EXISTS refuse_one()"))


async def test_a_failing_child_leaves_everything_as_it_was(world: World, refuse: object) -> None:
    pid = await partner(world)
    _, campaign_ids = await family(world, pid, 20, 3)
    await refuse(campaign_ids[-1])  # type: ignore[operator]
    before = await snapshot(world)
    partner_before = await world.client.get(
        f"/v1/hood/partners/{pid}", headers=world.alice.headers()
    )
    # The app answers 500 and re-raises; this client takes the answer instead of the raise.
    app = world.client._transport.app  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://partnerhub.test") as c:
        response = await c.patch(
            f"/v1/hood/partners/{pid}", json={"status": "inactive"}, headers=world.alice.headers()
        )
    assert response.status_code == 500
    assert await snapshot(world) == before
    partner_after = await world.client.get(
        f"/v1/hood/partners/{pid}", headers=world.alice.headers()
    )
    assert partner_after.json() == partner_before.json()
