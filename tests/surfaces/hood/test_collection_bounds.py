"""Collections a caller sends inside one Hood partner are bounded (README "Limits")."""

from __future__ import annotations

from typing import Any

from harness import World
from partnerhub.domain.hood_partners import MAX_CONTACTS, MAX_MANAGERS
from surfaces.hood.kit import PARTNERS, create_partner, partner_body


def _contacts(n: int) -> list[dict[str, str]]:
    return [{"type": "email", "value": f"c{i}@example.com"} for i in range(n)]


def _refused(response: Any, field: str, bound: int) -> None:
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert field in message and str(bound) in message, message


async def _total(world: World) -> int:
    answer = await world.client.get(PARTNERS, headers=world.alice.headers())
    total: int = answer.json()["total"]
    return total


class TestPartnerContacts:
    async def test_create_with_the_maximum(self, world: World) -> None:
        created = await create_partner(world, world.alice, contacts=_contacts(MAX_CONTACTS))
        assert len(created["contacts"]) == MAX_CONTACTS

    async def test_create_beyond_the_maximum(self, world: World) -> None:
        body = partner_body(world.alice, contacts=_contacts(MAX_CONTACTS + 1))
        answer = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        _refused(answer, "contacts", MAX_CONTACTS)
        assert await _total(world) == 0

    async def test_legacy_contact_counts_too(self, world: World) -> None:
        body = partner_body(
            world.alice, contacts=_contacts(MAX_CONTACTS), contact={"skype": "claire"}
        )
        answer = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        _refused(answer, "contacts", MAX_CONTACTS)
        assert await _total(world) == 0

    async def test_twenty_thousand_contacts(self, world: World) -> None:
        body = partner_body(world.alice, contacts=_contacts(20_000))
        answer = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert answer.status_code == 400, answer.text
        assert "contacts" in answer.json()["message"]

    async def test_one_more_through_the_contacts_route(self, world: World) -> None:
        created = await create_partner(world, world.alice, contacts=_contacts(MAX_CONTACTS))
        pid = created["id"]
        answer = await world.client.post(
            f"{PARTNERS}/{pid}/contacts",
            json={"type": "email", "value": "one.more@example.com"},
            headers=world.alice.headers(),
        )
        _refused(answer, "contacts", MAX_CONTACTS)
        listed = await world.client.get(f"{PARTNERS}/{pid}/contacts", headers=world.alice.headers())
        assert listed.json()["total"] == MAX_CONTACTS

    async def test_legacy_contact_patch_beyond_the_maximum(self, world: World) -> None:
        created = await create_partner(world, world.alice, contacts=_contacts(MAX_CONTACTS))
        pid = created["id"]
        answer = await world.client.patch(
            f"{PARTNERS}/{pid}", json={"contact": {"sip": "sip:x"}}, headers=world.alice.headers()
        )
        _refused(answer, "contacts", MAX_CONTACTS)


class TestPartnerArrays:
    async def test_manager_ids(self, world: World) -> None:
        ids = [world.alice.member_ids[0]] * (MAX_MANAGERS + 1)
        body = partner_body(world.alice, manager_ids=ids)
        answer = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        _refused(answer, "manager_ids", MAX_MANAGERS)

    async def test_type(self, world: World) -> None:
        body = partner_body(world.alice, type=["publisher"] * 3)
        answer = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        _refused(answer, "type", 2)

    async def test_any_array_of_a_body(self, world: World) -> None:
        body = partner_body(world.alice, billing_address={"street": ["x"] * 1001})
        answer = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        _refused(answer, "billing_address.street", 1000)
