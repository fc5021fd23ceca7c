"""What the console's Hood tests share: objects made through the Hood API, reading them back
through it, and the rows and timeline of a page."""

from __future__ import annotations

import re
from typing import Any

from harness import Tenant, World
from surfaces.console.kit import text_of
from surfaces.hood.kit import create_partner, json_headers

HOOD = "/v1/hood"
PAGES = "/console/hood"
TWILIO = {
    "account_sid": "AC" + "1" * 32,
    "auth_token": "twilio-secret-" + "t" * 20,
    "default_phone_number": "+14155550100",
}
PUSH = {"channel": "push", "content": "Spring is here"}


async def partner(world: World, tenant: Tenant | None = None, **overrides: Any) -> str:
    created = await create_partner(world, tenant or world.alice, **overrides)
    pid: str = created["id"]
    return pid


async def _created(world: World, tenant: Tenant, path: str, body: dict[str, Any]) -> str:
    response = await world.client.post(f"{HOOD}/{path}", json=body, headers=json_headers(tenant))
    assert response.status_code == 201, response.text
    created: str = response.json()["id"]
    return created


async def deal(world: World, partner_id: str, tenant: Tenant | None = None, **kw: Any) -> str:
    body = {"name": "Spring deal", "partner_id": partner_id, "base_price": 1.5}
    return await _created(world, tenant or world.alice, "deals", body | {"clickthrough": True} | kw)


async def campaign(world: World, deal_id: str, tenant: Tenant | None = None, **kw: Any) -> str:
    body = {"name": "Spring sale", "deal_id": deal_id, "messages": [PUSH], **kw}
    return await _created(world, tenant or world.alice, "campaigns", body)


async def integration(
    world: World,
    tenant: Tenant | None = None,
    provider: str = "1000",
    settings: dict[str, str] | None = None,
) -> str:
    body = {"name": "Texts", "provider_id": provider, "settings": settings or TWILIO}
    return await _created(world, tenant or world.alice, "integrations", body)


async def api(world: World, path: str, tenant: Tenant | None = None) -> dict[str, Any]:
    """The one item `GET /v1/hood/<path>` answers."""
    response = await world.client.get(f"{HOOD}/{path}", headers=(tenant or world.alice).headers())
    assert response.status_code == 200, response.text
    item: dict[str, Any] = response.json()["items"][0]
    return item


async def api_history(world: World, path: str) -> list[dict[str, Any]]:
    response = await world.client.get(f"{HOOD}/{path}/history", headers=world.alice.headers())
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def row(page: str, row_id: str) -> str:
    """The text of the table row `id=row_id`."""
    found = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', page, re.S)
    assert found, f"no row {row_id}"
    return text_of(found.group(1))


def timeline_surfaces(page: str) -> list[str]:
    return re.findall(r'<span class="surface">([^<]+)</span>', page)
