"""Concurrent PATCHes of different fields of one partner all survive (SPEC §1, Concurrency).

In-process, through the real app and a pool of several connections, on SQLite and PostgreSQL;
tests/compat repeats it across two worker processes.
"""

from __future__ import annotations

import asyncio

from harness import World
from surfaces.hood.kit import create_partner, get_partner

CONTACT_TYPES = ("email", "phone", "mobile", "skype", "sip", "website")


def _patches(manager: str) -> list[dict[str, object]]:
    values: dict[str, str] = {
        "email": "ops@example.com",
        "phone": "+14155550100",
        "mobile": "+14155550101",
        "skype": "partner.skype",
        "sip": "sip-user-1",
        "website": "https://partner.example",
    }
    return [
        {"name": "Renamed"},
        {"description": "new description"},
        {"status": "pending"},
        {"manager_ids": [manager]},
        {"payment_terms": {"payment_frequency": "annually"}},
        {"payment_terms": {"payment_method": "paypal"}},
        {"payment_terms": {"net_terms": "net60"}},
        {"payment_terms": {"currency_code": "eur"}},
        {"billing_address": {"street": "1 New Street"}},
        {"billing_address": {"city": "Lisbon"}},
        {"billing_address": {"post_code": "1000-001"}},
        {"billing_address": {"country": "pt"}},
        *({"contact": {kind: values[kind]}} for kind in CONTACT_TYPES),
    ]


class TestConcurrentPatches:
    async def test_every_field_survives(self, world: World) -> None:
        tenant = world.alice
        created = await create_partner(world, tenant, contacts=[])
        patches = _patches(tenant.member_ids[1])

        async def send(body: dict[str, object]) -> int:
            response = await world.client.patch(
                f"/v1/hood/partners/{created['id']}", json=body, headers=tenant.headers()
            )
            return response.status_code

        statuses = await asyncio.gather(*(send(b) for b in patches))
        assert statuses == [204] * len(patches)

        got = await get_partner(world, tenant, created["id"])
        assert got["name"] == "Renamed"
        assert got["description"] == "new description"
        assert got["status"] == "pending"
        assert got["manager_ids"] == [tenant.member_ids[1]]
        assert got["payment_terms"] == {
            "payment_frequency": "annually",
            "payment_method": "paypal",
            "net_terms": "net60",
            "currency_code": "eur",
        }
        assert got["billing_address"] == {
            "street": "1 New Street",
            "city": "Lisbon",
            "post_code": "1000-001",
            "country": "PT",
        }
        assert set(got["contact"]) == set(CONTACT_TYPES)

        history = await world.client.get(
            f"/v1/hood/partners/{created['id']}/history?page=1,100", headers=tenant.headers()
        )
        versions = [e["version"] for e in history.json()["items"] if e["action"] == "update"]
        assert sorted(versions) == list(range(2, 2 + len(patches)))
