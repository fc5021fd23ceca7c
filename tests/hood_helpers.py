"""Hood helpers: a valid partner body and a way to create one."""

from __future__ import annotations

from typing import Any

from harness import Tenant, World


def partner_body(tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "manager_ids": [tenant.member_ids[0]],
        "name": "Hairdressing Claire",
        "description": "test description",
        "type": ["publisher"],
        "status": "active",
        "payment_terms": {
            "payment_frequency": "monthly",
            "payment_method": "card",
            "net_terms": "net30",
            "currency_code": "usd",
        },
        "billing_address": {
            "street": "711 Cambridge Drive",
            "city": "New Port Richey",
            "post_code": "34653",
            "country": "US",
        },
        "contacts": [{"type": "mobile", "value": "+38160333444"}],
    }
    body.update(overrides)
    return body


async def create_partner(world: World, tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    response = await world.client.post(
        "/v1/hood/partners", json=partner_body(tenant, **overrides), headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def get_partner(world: World, tenant: Tenant, partner_id: str) -> dict[str, Any]:
    response = await world.client.get(f"/v1/hood/partners/{partner_id}", headers=tenant.headers())
    assert response.status_code == 200, response.text
    item: dict[str, Any] = response.json()["items"][0]
    return item
