"""Campaign test kit: deals made through the change operation (the deals API is built
elsewhere), integrations and campaigns through the API, and campaigns put into each status."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from harness import Tenant, World
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.hood_effective import campaign_effective, deal_effective
from partnerhub.domain.objects import Kind
from partnerhub.services import change
from surfaces.hood.kit import create_partner, json_headers

CAMPAIGNS = "/v1/hood/campaigns"
INTEGRATIONS = "/v1/hood/integrations"
UNKNOWN_CAMPAIGN = "Unknown campaign id."
PUSH = {"channel": "push", "content": "Spring is here"}
TWILIO = {
    "account_sid": "AC" + "1" * 32,
    "auth_token": "t" * 32,
    "default_phone_number": "+14155550100",
}
SENDGRID = {"api_key": "SG." + "k" * 40, "default_sender_email": "news@example.com"}
AB_TEST = {
    "name": "subject lines",
    "test_split": 20,
    "winning_metric": "open_rate",
    "evaluation_window": 24,
    "winner_delivery_mode": "automatic",
}


def later(days: int = 2) -> str:
    return (utcnow() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")


def actor_of(tenant: Tenant) -> Actor:
    return Actor(account_id=tenant.account_id, token_id=None, scopes=frozenset())


async def make_deal(
    world: World,
    tenant: Tenant,
    *,
    status: str = "active",
    partner_status: str = "active",
    archived: int = 0,
) -> str:
    partner = await create_partner(world, tenant, status=partner_status)
    now = utcnow().replace(microsecond=0)
    row = {
        "partner_id": int(partner["id"]),
        "name": "Deal",
        "status": status,
        "effective_status": deal_effective(status, partner_status),
        "clickthrough": 1,
        "base_price": "1.50",
        "country_price": {},
        "device_price": {},
        "event_price": {},
        "archived": archived,
        "create_time": now,
        "update_time": now,
    }
    async with world.runtime.db.transaction(write=True) as uow:
        key = await change.create(
            uow,
            actor_of(tenant),
            Kind.HOOD_DEAL,
            row,
            changes=change.created({"name": "Deal", "status": status}),
        )
    return str(key)


async def make_integration(world: World, tenant: Tenant, kind: str = "sms") -> str:
    provider, settings = ("1000", TWILIO) if kind == "sms" else ("1002", SENDGRID)
    response = await world.client.post(
        INTEGRATIONS,
        json={"name": kind, "provider_id": provider, "settings": settings},
        headers=json_headers(tenant),
    )
    assert response.status_code == 201, response.text
    integration_id: str = response.json()["id"]
    return integration_id


def campaign_body(deal: str, **overrides: Any) -> dict[str, Any]:
    return {"name": "Spring sale", "deal_id": deal, "messages": [PUSH], **overrides}


async def post(world: World, tenant: Tenant, body: Any) -> Any:
    return await world.client.post(CAMPAIGNS, json=body, headers=json_headers(tenant))


async def create_campaign(world: World, tenant: Tenant, deal: str, **overrides: Any) -> Any:
    response = await post(world, tenant, campaign_body(deal, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


async def get_campaign(world: World, tenant: Tenant, campaign_id: str) -> dict[str, Any]:
    response = await world.client.get(f"{CAMPAIGNS}/{campaign_id}", headers=tenant.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 1
    item: dict[str, Any] = body["items"][0]
    return item


async def act(world: World, tenant: Tenant, campaign_id: str, action: str, body: Any = None) -> Any:
    """An action route (pause, resume, cancel, archive) or, for "patch", a PATCH."""
    path = f"{CAMPAIGNS}/{campaign_id}"
    if action == "patch":
        return await world.client.patch(path, json=body, headers=json_headers(tenant))
    return await world.client.post(
        f"{path}/{action}", json=body if body is not None else {}, headers=json_headers(tenant)
    )


async def _force(world: World, tenant: Tenant, campaign: dict[str, Any], status: str) -> None:
    """Statuses only a delivery engine reaches (sent, needs_decision): set through the change
    operation, as such an engine would."""
    async with world.runtime.db.transaction(write=True) as uow:
        current = await uow.hood_campaigns.get(tenant.account_id, int(campaign["id"]), lock=True)
        assert current is not None
        deal = await uow.hood_deals.get(tenant.account_id, current.deal_id)
        assert deal is not None
        effective = campaign_effective(status, deal.effective_status)
        await change.update(
            uow,
            actor_of(tenant),
            change.Target(Kind.HOOD_CAMPAIGN, current.id, current.version),
            values={"status": status, "effective_status": effective},
            changes={"status": {"old": current.status, "new": status}},
        )


async def campaign_in(world: World, tenant: Tenant, deal_id: str, status: str) -> dict[str, Any]:
    """A campaign in `status`, through the API wherever the API can put it there."""
    if status == "draft":
        created = await create_campaign(world, tenant, deal_id, is_draft=True)
    elif status == "scheduled":
        created = await create_campaign(world, tenant, deal_id, scheduled_time=later())
    else:
        created = await create_campaign(world, tenant, deal_id, run_immediately=1)
    if status in ("paused", "canceled"):
        action = "pause" if status == "paused" else "cancel"
        response = await act(world, tenant, created["id"], action, {"reason": "test"})
        assert response.status_code == 204, response.text
    elif status in ("sent", "needs_decision"):
        await _force(world, tenant, created, status)
    item = await get_campaign(world, tenant, created["id"])
    assert item["status"] == status
    return item
