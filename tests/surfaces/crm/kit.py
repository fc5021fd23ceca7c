"""Helpers shared by the CRM HTTP tests: the seed page's seven properties, error assertions."""

from __future__ import annotations

import re
from typing import Any

import httpx

from harness import Tenant, World
from partnerhub.services import accounts

CRM = "/crm/v3"
OBJECTS = f"{CRM}/objects/partner_clients"
PROPERTIES = f"{CRM}/properties/partner_clients"
ISO_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
OBJECTS_READ = ["crm.objects.partner-clients.read"]
SCHEMAS_READ = ["crm.schemas.partner-clients.read"]

# The seven example properties of seed 004 (HubSpot's partner_clients PATCH page).
SEED_PROPERTIES: list[dict[str, Any]] = [
    {
        "name": "property_checkbox",
        "label": "Checkbox",
        "type": "bool",
        "fieldType": "booleancheckbox",
        "options": [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}],
    },
    {"name": "property_date", "label": "Date", "type": "date", "fieldType": "date"},
    {
        "name": "property_dropdown",
        "label": "Dropdown",
        "type": "enumeration",
        "fieldType": "select",
        "options": [
            {"label": "Choice A", "value": "choice_a"},
            {"label": "Choice B", "value": "choice_b"},
        ],
    },
    {
        "name": "property_multiple_checkboxes",
        "label": "Flavours",
        "type": "enumeration",
        "fieldType": "checkbox",
        "options": [
            {"label": "Chocolate", "value": "chocolate"},
            {"label": "Strawberry", "value": "strawberry"},
            {"label": "Vanilla", "value": "vanilla"},
        ],
    },
    {"name": "property_number", "label": "Number", "type": "number", "fieldType": "number"},
    {
        "name": "property_radio",
        "label": "Radio",
        "type": "enumeration",
        "fieldType": "radio",
        "options": [
            {"label": "Option 1", "value": "option_1"},
            {"label": "Option 2", "value": "option_2"},
        ],
    },
    {"name": "property_string", "label": "String", "type": "string", "fieldType": "text"},
]

# Seed 004's curl --data, byte for byte.
SEED_004_DATA = b"""{
  "properties": {
    "property_checkbox": "false",
    "property_date": "1572480000000",
    "property_dropdown": "choice_b",
    "property_multiple_checkboxes": "chocolate;strawberry",
    "property_number": "17",
    "property_radio": "option_1",
    "property_string": "value"
  }
}"""
SEED_004_VALUES = {
    "property_checkbox": "false",
    "property_date": "1572480000000",
    "property_dropdown": "choice_b",
    "property_multiple_checkboxes": "chocolate;strawberry",
    "property_number": "17",
    "property_radio": "option_1",
    "property_string": "value",
}


def assert_crm_error(response: httpx.Response, status: int, category: str) -> dict[str, Any]:
    """HubSpot's envelope with this status and category; correlationId = X-Request-Id."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["status"] == "error"
    assert body["category"] == category, body
    assert isinstance(body["message"], str) and body["message"]
    assert body["correlationId"] == response.headers["x-request-id"]
    assert response.headers["x-hubspot-correlation-id"] == body["correlationId"]
    return body


async def define(world: World, tenant: Tenant, *bodies: dict[str, Any]) -> None:
    for body in bodies:
        response = await world.client.post(PROPERTIES, json=body, headers=tenant.headers())
        assert response.status_code == 201, response.text


async def define_seed(world: World, tenant: Tenant) -> None:
    await define(world, tenant, *SEED_PROPERTIES)


async def create(world: World, tenant: Tenant, **properties: str) -> dict[str, Any]:
    response = await world.client.post(
        OBJECTS, json={"properties": properties}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def read(world: World, tenant: Tenant, object_id: str, **params: Any) -> dict[str, Any]:
    response = await world.client.get(
        f"{OBJECTS}/{object_id}", params=params, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def set_crm_limits(world: World, tenant: Tenant, **limits: list[list[int]]) -> None:
    """Per-account overrides, e.g. crm=[[3, 10]], crm_search=[[100, 1]]."""
    async with world.runtime.db.transaction(write=True) as uow:
        await accounts.set_limits(uow, account_id=tenant.account_id, rate_limits=limits)
