"""Many deals and campaigns under one partner (services/hood_bulk: thousands of API calls would
only slow the tests that need them), and what the database holds of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from harness import World
from partnerhub.domain.accounts import Actor
from partnerhub.services import hood_bulk
from partnerhub.storage.tables import history, hood_campaigns, hood_deals


async def partner(world: World, status: str = "active") -> str:
    response = await world.client.post(
        "/v1/hood/partners",
        json={
            "manager_ids": [world.alice.member_ids[0]],
            "name": "Cascading",
            "type": ["publisher"],
            "status": status,
        },
        headers=world.alice.headers(),
    )
    assert response.status_code == 201, response.text
    pid: str = response.json()["id"]
    return pid


async def family(
    world: World,
    partner_id: str,
    deals: int,
    campaigns_per_deal: int,
    **statuses: str,
) -> tuple[list[int], list[int]]:
    """`deals` deals of the partner with `campaigns_per_deal` campaigns each: their ids."""
    actor = Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())
    async with world.runtime.db.transaction(write=True) as uow:
        return await hood_bulk.create_family(
            uow,
            actor,
            partner_id=int(partner_id),
            deals=deals,
            campaigns_per_deal=campaigns_per_deal,
            **statuses,
        )


async def snapshot(world: World) -> dict[str, Any]:
    """Every deal and campaign row of the account, and how much history it has."""
    async with world.runtime.db.transaction() as uow:
        deals = [
            tuple(r)
            for r in await uow.conn.execute(
                select(hood_deals)
                .where(hood_deals.c.account_id == world.alice.account_id)
                .order_by(hood_deals.c.id)
            )
        ]
        campaigns = [
            tuple(r)
            for r in await uow.conn.execute(
                select(hood_campaigns)
                .where(hood_campaigns.c.account_id == world.alice.account_id)
                .order_by(hood_campaigns.c.id)
            )
        ]
        entries = (await uow.conn.execute(select(func.count()).select_from(history))).scalar()
    return {"deals": deals, "campaigns": campaigns, "history": entries}


async def entries_of(world: World, object_type: str, after_id: int = 0) -> list[Any]:
    async with world.runtime.db.transaction() as uow:
        return list(
            await uow.conn.execute(
                select(history)
                .where(history.c.object_type == object_type, history.c.id > after_id)
                .order_by(history.c.id)
            )
        )


async def last_history_id(world: World) -> int:
    async with world.runtime.db.transaction() as uow:
        found = (await uow.conn.execute(select(func.max(history.c.id)))).scalar()
    return int(found or 0)
