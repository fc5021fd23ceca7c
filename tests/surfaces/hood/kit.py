"""The Hood test kit: a valid partner body, creating and reading partners, assertions and
small helpers shared by the Hood HTTP tests (and the storage tests that go through Hood)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from harness import Tenant, World
from partnerhub.services import accounts

HOOD = "/v1/hood"
PARTNERS = f"{HOOD}/partners"
HOOD_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UNKNOWN_PARTNER = "Unknown partner id."
UNKNOWN_CONTACT = "Unknown contact id."
EMPTY_PATCH = "At least one of the updatable fields should be sent"
BODY_NOT_VALID = "The request body is not valid."
READ_ONLY = ["hood.partners.read"]


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
        PARTNERS, json=partner_body(tenant, **overrides), headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def get_partner(world: World, tenant: Tenant, partner_id: str) -> dict[str, Any]:
    response = await world.client.get(f"{PARTNERS}/{partner_id}", headers=tenant.headers())
    assert response.status_code == 200, response.text
    item: dict[str, Any] = response.json()["items"][0]
    return item


def assert_error(response: httpx.Response, status: int, *needles: str) -> dict[str, Any]:
    """The Hood envelope with this status, a trace_id echoing X-Request-Id, and a message
    holding every needle."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "title", "message", "trace_id"}, body
    assert body["code"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert body["trace_id"] == response.headers["x-request-id"]
    for needle in needles:
        assert needle in body["message"], (needle, body["message"])
    return body


def json_headers(tenant: Tenant, token: str | None = None, **extra: str) -> dict[str, str]:
    return tenant.headers(token, **{"Content-Type": "application/json", **extra})


async def total(world: World, tenant: Tenant, **params: str) -> int:
    response = await world.client.get(PARTNERS, params=params, headers=tenant.headers())
    assert response.status_code == 200, response.text
    count: int = response.json()["total"]
    return count


async def list_items(
    world: World, tenant: Tenant, path: str = PARTNERS, **params: str
) -> tuple[int, list[dict[str, Any]]]:
    response = await world.client.get(path, params=params, headers=tenant.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"total", "items"}
    return body["total"], body["items"]


async def history(world: World, tenant: Tenant, partner_id: str) -> list[dict[str, Any]]:
    response = await world.client.get(f"{PARTNERS}/{partner_id}/history", headers=tenant.headers())
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def etag_of(world: World, tenant: Tenant, path: str) -> str:
    response = await world.client.get(path, headers=tenant.headers())
    assert response.status_code == 200, response.text
    return response.headers["etag"]


async def token_ids(world: World, tenant: Tenant) -> list[int]:
    async with world.runtime.db.transaction() as uow:
        return [t.id for t in await uow.tokens.list(tenant.account_id)]


async def revoked_token(world: World, tenant: Tenant) -> str:
    async with world.runtime.db.transaction(write=True) as uow:
        info, secret = await accounts.create_token(
            uow, account_id=tenant.account_id, name="soon revoked", scopes=["hood.partners.read"]
        )
    async with world.runtime.db.transaction(write=True) as uow:
        await accounts.revoke_token(uow, account_id=tenant.account_id, token_id=info.id)
    return secret
