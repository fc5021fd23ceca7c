"""Many deals and campaigns under one partner, made straight through the change operation
(thousands of API calls would only slow the tests that need them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from harness import World
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.objects import Kind
from partnerhub.services import change
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


def _deal_row(partner_id: int, i: int, status: str) -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)
    return {
        "partner_id": partner_id,
        "name": f"Deal {i}",
        "status": status,
        "effective_status": status,
        "clickthrough": 0,
        "base_price": "1.50",
        "country_price": {},
        "device_price": {},
        "event_price": {},
        "create_time": now,
        "update_time": now,
    }


def _campaign_row(deal_id: int, i: int, status: str) -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)
    return {
        "deal_id": deal_id,
        "name": f"Campaign {i}",
        "labels": [],
        "messages": [],
        "status": status,
        "effective_status": status,
        "send_strategy": "manual",
        "create_time": now,
        "update_time": now,
    }


async def family(
    world: World,
    partner_id: str,
    deals: int,
    campaigns_per_deal: int,
    *,
    deal_status: str = "active",
    campaign_status: str = "scheduled",
) -> tuple[list[int], list[int]]:
    """`deals` deals of the partner with `campaigns_per_deal` campaigns each: their ids."""
    actor = Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())
    async with world.runtime.db.transaction(write=True) as uow:
        deal_ids = await change.create_many(
            uow,
            actor,
            Kind.HOOD_DEAL,
            [(_deal_row(int(partner_id), i, deal_status), {}, None) for i in range(deals)],
        )
        campaign_ids = await change.create_many(
            uow,
            actor,
            Kind.HOOD_CAMPAIGN,
            [
                (_campaign_row(int(d), i, campaign_status), {}, None)
                for d in deal_ids
                for i in range(campaigns_per_deal)
            ],
        )
    return [int(d) for d in deal_ids], [int(c) for c in campaign_ids]


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
