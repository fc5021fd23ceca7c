"""Helpers shared by the Core HTTP tests."""

from __future__ import annotations

import re
from typing import Any

import httpx

from harness import Tenant, World

CORE = "/core/v2"
PARTNERS = f"{CORE}/partners"
TOKEN = f"{CORE}/oauth/token"
CORE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
DISPLAY_ID = re.compile(r"CX\d{8}")
# Reference §3: every key of the Partner object.
PARTNER_KEYS = [
    "acls", "address1", "address2", "attributes", "available_scopes", "balance",
    "billing_email", "callbacks", "charge_at", "city", "company_name", "country_code",
    "daily_spending_limit", "daily_spent_amount", "date_created", "display_id", "login", "name",
    "owner_email", "parent_assigned_acls", "parent_sid", "partner_sid", "payment_type",
    "phonenumber", "prepay_amount", "spending_limit", "state", "status", "tech_email",
    "transformations", "zip",
]  # fmt: skip
UPDATABLE = [
    "acls", "address1", "address2", "attributes", "billing_email", "callbacks", "city",
    "company_name", "name", "owner_email", "parent_assigned_acls", "phonenumber", "tech_email",
    "transformations", "zip",
]  # fmt: skip
RULE = "93525bae-f9a9-446b-b92a-7f421df7a11e"
ACL = {
    "access_control_rules": [RULE],
    "direction": "outbound",
    "sms_action_false": None,
    "sms_action_true": "accept",
    "voice_action_false": None,
    "voice_action_true": None,
}
_seq = 0


def headers(tenant: Tenant, token: str | None = None, **extra: str) -> dict[str, str]:
    return tenant.headers(token, **{"Content-Type": "application/json", **extra})


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **extra}


def partner_body(**overrides: Any) -> dict[str, Any]:
    global _seq
    _seq += 1
    body: dict[str, Any] = {
        "login": f"john{_seq}",
        "password": "sample_password",
        "name": "John Smith",
        "company_name": "ABC",
        "parent_sid": "",
        "country_code": "USA",
        "zip": "90804",
        "owner_email": "johnsmith@carrierx.example",
        "payment_type": "prepay",
        "phonenumber": "180045012323",
        "charge_at": 20,
        "prepay_amount": "100",
    }
    body.update(overrides)
    return body


def assert_error(
    response: httpx.Response, status: int, *fields: str | None, message: str | None = None
) -> list[dict[str, Any]]:
    """The Core envelope with this status; `fields` are the fields its items must name."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["errors", "message"], body
    if message is not None:
        assert body["message"] == message, body
    for item in body["errors"]:
        assert list(item) == ["field", "message", "reference_sid"], item
        assert item["message"]
    named = [item["field"] for item in body["errors"]]
    for name in fields:
        assert name in named, (name, body)
    items: list[dict[str, Any]] = body["errors"]
    return items


async def create(
    world: World, tenant: Tenant, token: str | None = None, **overrides: Any
) -> dict[str, Any]:
    response = await world.client.post(
        PARTNERS, json=partner_body(**overrides), headers=headers(tenant, token)
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def get(world: World, tenant: Tenant, sid: str, token: str | None = None) -> dict[str, Any]:
    response = await world.client.get(f"{PARTNERS}/{sid}", headers=tenant.headers(token))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def login(world: World, username: str, password: str = "sample_password") -> str:
    response = await world.client.post(
        TOKEN, data={"grant_type": "password", "username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def root(world: World, tenant: Tenant) -> dict[str, Any]:
    response = await world.client.get(PARTNERS, params={"limit": "1"}, headers=tenant.headers())
    assert response.status_code == 200, response.text
    items = [p for p in response.json()["items"] if p["parent_sid"] is None]
    assert len(items) == 1
    found: dict[str, Any] = items[0]
    return found
