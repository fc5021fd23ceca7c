"""A partner's deals and campaigns created in bulk, through the change operation (benchmarks,
tests and demos that need thousands of children; the API creates them one by one).

The rows are minimal but valid: what the deal and campaign create would store for a deal with a
base price and no prices per country, device or event, and a campaign without messages.
"""

from __future__ import annotations

from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.hood_effective import campaign_effective, deal_effective
from partnerhub.domain.objects import Kind
from partnerhub.services import change
from partnerhub.storage.unit_of_work import UnitOfWork


def _deal_row(partner_id: int, i: int, status: str, effective: str) -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)
    return {
        "partner_id": partner_id,
        "name": f"Deal {i}",
        "status": status,
        "effective_status": effective,
        "clickthrough": 0,
        "base_price": "1.50",
        "country_price": {},
        "device_price": {},
        "event_price": {},
        "create_time": now,
        "update_time": now,
    }


def _campaign_row(deal_id: int, i: int, status: str, effective: str) -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)
    return {
        "deal_id": deal_id,
        "name": f"Campaign {i}",
        "labels": [],
        "messages": [],
        "status": status,
        "effective_status": effective,
        "send_strategy": "manual",
        "create_time": now,
        "update_time": now,
    }


async def create_family(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_id: int,
    deals: int,
    campaigns_per_deal: int,
    deal_status: str = "active",
    campaign_status: str = "scheduled",
) -> tuple[list[int], list[int]]:
    """`deals` deals of the partner, `campaigns_per_deal` campaigns each; their ids."""
    partner = await uow.hood_partners.get(actor.account_id, partner_id, lock=True)
    assert partner is not None, "create_family needs an existing partner"
    deal_eff = deal_effective(deal_status, partner.status)
    deal_ids = await change.create_many(
        uow,
        actor,
        Kind.HOOD_DEAL,
        [
            (
                _deal_row(partner_id, i, deal_status, deal_eff),
                {"name": {"old": None, "new": f"Deal {i}"}},
                None,
            )
            for i in range(deals)
        ],
    )
    campaign_eff = campaign_effective(campaign_status, deal_eff)
    campaign_ids = await change.create_many(
        uow,
        actor,
        Kind.HOOD_CAMPAIGN,
        [
            (
                _campaign_row(int(d), i, campaign_status, campaign_eff),
                {"name": {"old": None, "new": f"Campaign {i}"}},
                None,
            )
            for d in deal_ids
            for i in range(campaigns_per_deal)
        ],
    )
    return [int(d) for d in deal_ids], [int(c) for c in campaign_ids]
