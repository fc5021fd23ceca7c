"""The seed pages' own examples, byte for byte as their curl `-d` sends them (only the ids in
the URL, and for the mended seed 000 the manager id, filled in).

Seed 000 (Update Partner) double-encodes its body and lacks the inner object's final `}`;
seed 001 (Update Partner contact) carries `[email\u00a0protected]`, an artifact of the archived
page's e-mail protection. SPEC §2: each gets 400 as printed and succeeds once mended.
"""

from __future__ import annotations

import hashlib

from harness import Tenant, World
from surfaces.hood.kit import (
    BODY_NOT_VALID,
    PARTNERS,
    assert_error,
    create_partner,
    get_partner,
    history,
    json_headers,
)

SEED_000 = (
    rb'"{\n'
    rb" \"manager_ids\": [\n"
    rb" \"1000220\"\n"
    rb" ],\n"
    rb" \"name\": \"test \",\n"
    rb" \"description\": \"test description\",\n"
    rb" \"status\": \"inactive\",\n"
    rb" \"payment_terms\": {\n"
    rb" \"payment_frequency\": \"quarterly\",\n"
    rb" \"payment_method\": \"card\",\n"
    rb" \"net_terms\": \"net90\",\n"
    rb" \"currency_code\": \"eur\"\n"
    rb" },\n"
    rb" \"billing_address\": {\n"
    rb" \"street\": \"dddddd\",\n"
    rb" \"city\": \"test test\",\n"
    rb" \"post_code\": \"56-a\",\n"
    rb" \"country\": \"RS\"\n"
    rb" },\n"
    rb" \"contact\": {\n"
    rb" \"email\": \"fIS0C1guzHZ6jxidFyOXbFh47nYMzS3ZhUCvKCpwvfuY3s1G9of"
    rb"AD8sJyjzdWG9J024HroFNBRDg7LNmHiycjBgeUAJ8S13Crgs@fafa.com\",\n"
    rb" \"mobile\": \"+785596522\",\n"
    rb" \"phone\": \"+1235165336\",\n"
    rb" \"sip\": \"5259oskZYi9sw8\",\n"
    rb" \"skype\": \"dfa223ghjk\",\n"
    rb" \"website\": \"fsf.com\"\n"
    rb'}"'
)
SEED_000_SHA256 = "701ce013936522c0c1a9ad013a5cd59a0d7ed784756670e9ff464d607cb89888"
SEED_001 = b'{\n  "value": "[email\xc2\xa0protected]",\n  "type": "email"\n}'
SEED_001_SHA256 = "ef03be16d76b6daf6552c4b40e5149169b9abf0e1a6bdc9ae6f1540a12694d52"

EMAIL_99 = (
    "fIS0C1guzHZ6jxidFyOXbFh47nYMzS3ZhUCvKCpwvfuY3s1G9ofAD8sJyjzdWG9J024HroFNBRDg7LNmHiycjBgeUAJ8S13Crgs"
    "@fafa.com"
)


def mended_seed_000(tenant: Tenant) -> bytes:
    """Seed 000 with its inner object's final `}` added and a real member as manager."""
    assert SEED_000.endswith(b'\\n}"')
    body = SEED_000[:-1] + b'}"'
    return body.replace(b"1000220", tenant.member_ids[1].encode())


async def bare_partner(world: World) -> dict[str, object]:
    return await create_partner(
        world, world.alice, contacts=[], payment_terms=None, billing_address=None, description=None
    )


class TestSeedPagesAreVerbatim:
    def test_seed_bytes_match_the_pages(self) -> None:
        assert hashlib.sha256(SEED_000).hexdigest() == SEED_000_SHA256
        assert hashlib.sha256(SEED_001).hexdigest() == SEED_001_SHA256
        local_part = EMAIL_99.split("@")[0]
        assert len(local_part) == 99
        assert EMAIL_99.encode() in SEED_000


class TestSeed000UpdatePartner:
    async def test_as_printed_is_400_with_a_location(self, world: World) -> None:
        partner = await bare_partner(world)
        response = await world.client.patch(
            f"{PARTNERS}/{partner['id']}", content=SEED_000, headers=json_headers(world.alice)
        )
        body = assert_error(response, 400, BODY_NOT_VALID, "line", "column")
        assert body["message"].startswith(BODY_NOT_VALID)
        assert await get_partner(world, world.alice, str(partner["id"])) == partner

    async def test_mended_is_204_and_every_value_is_stored(self, world: World) -> None:
        partner = await bare_partner(world)
        response = await world.client.patch(
            f"{PARTNERS}/{partner['id']}",
            content=mended_seed_000(world.alice),
            headers=json_headers(world.alice),
        )
        assert response.status_code == 204, response.text
        assert response.content == b""
        got = await get_partner(world, world.alice, str(partner["id"]))
        assert got["manager_ids"] == [world.alice.member_ids[1]]
        assert got["managers"][0]["id"] == world.alice.member_ids[1]
        assert got["name"] == "test "
        assert got["description"] == "test description"
        assert got["status"] == "inactive"
        assert got["payment_terms"] == {
            "payment_frequency": "quarterly",
            "payment_method": "card",
            "net_terms": "net90",
            "currency_code": "eur",
        }
        assert got["billing_address"] == {
            "street": "dddddd",
            "city": "test test",
            "post_code": "56-a",
            "country": "RS",
        }
        assert got["contact"] == {
            "email": EMAIL_99,
            "mobile": "+785596522",
            "phone": "+1235165336",
            "sip": "5259oskZYi9sw8",
            "skype": "dfa223ghjk",
            "website": "fsf.com",
        }
        assert len(got["contacts"]) == 6
        assert response.headers["etag"] == '"2"'
        [update, _create] = await history(world, world.alice, str(partner["id"]))
        assert update["changes"]["status"] == {"old": "active", "new": "inactive"}
        assert update["changes"]["contact.email"] == {"old": None, "new": EMAIL_99}

    async def test_mended_twice_changes_nothing_more(self, world: World) -> None:
        partner = await bare_partner(world)
        for _ in range(2):
            response = await world.client.patch(
                f"{PARTNERS}/{partner['id']}",
                content=mended_seed_000(world.alice),
                headers=json_headers(world.alice),
            )
            assert response.status_code == 204, response.text
        got = await get_partner(world, world.alice, str(partner["id"]))
        assert len(got["contacts"]) == 6
        assert len(await history(world, world.alice, str(partner["id"]))) == 2


class TestSeed001UpdatePartnerContact:
    async def _email_contact(self, world: World) -> tuple[str, str]:
        partner = await create_partner(
            world, world.alice, contacts=[{"type": "email", "value": "old@example.com"}]
        )
        return str(partner["id"]), str(partner["contacts"][0]["id"])

    async def test_as_printed_is_400_naming_value(self, world: World) -> None:
        pid, cid = await self._email_contact(world)
        response = await world.client.patch(
            f"{PARTNERS}/{pid}/contacts/{cid}", content=SEED_001, headers=json_headers(world.alice)
        )
        assert_error(response, 400, "value")
        got = await world.client.get(
            f"{PARTNERS}/{pid}/contacts/{cid}", headers=world.alice.headers()
        )
        assert got.json()["items"][0]["value"] == "old@example.com"

    async def test_with_a_real_address_is_204(self, world: World) -> None:
        pid, cid = await self._email_contact(world)
        mended = SEED_001.replace(b"[email\xc2\xa0protected]", b"claire@hairdresser-saloon.com")
        assert mended != SEED_001
        response = await world.client.patch(
            f"{PARTNERS}/{pid}/contacts/{cid}", content=mended, headers=json_headers(world.alice)
        )
        assert response.status_code == 204, response.text
        got = await world.client.get(
            f"{PARTNERS}/{pid}/contacts/{cid}", headers=world.alice.headers()
        )
        assert got.json() == {
            "total": 1,
            "items": [{"id": cid, "type": "email", "value": "claire@hairdresser-saloon.com"}],
        }
