"""/v1/hood/partners/{id}/contacts: list, get, create, PATCH, DELETE and contact history."""

from __future__ import annotations

from typing import Any

import httpx

from harness import World
from surfaces.hood.kit import (
    EMPTY_PATCH,
    PARTNERS,
    UNKNOWN_CONTACT,
    UNKNOWN_PARTNER,
    UUID,
    assert_error,
    create_partner,
    get_partner,
    list_items,
)

VALID: dict[str, list[str]] = {
    "email": ["claire@example.com", "x" * 99 + "@fafa.com"],
    "phone": ["+1235165336", "+1 (415) 555-0100", "12345", "381.60.333.444"],
    "mobile": ["+785596522", "060 333 444"],
    "sip": ["5259oskZYi9sw8", "sip:alice@example.com", "s" * 255],
    "skype": ["dfa223ghjk", "live:.cid.123", "k" * 255],
    "website": ["fsf.com", "https://example.com/path?q=1", "http://127.0.0.1:8080", "www.a.io"],
}
INVALID: dict[str, list[Any]] = {
    "email": ["[email\u00a0protected]", "plain", "a@", "@example.com", "a b@example.com", 5],
    "phone": ["1234", "+1234567890123456", "call me", "++123456", "+1-800-FLOWERS", ""],
    "mobile": ["abc", "+", None],
    "sip": ["", "s" * 256, "   "],
    "skype": ["", "k" * 256, ["x"]],
    "website": ["not a host", "ftp://example.com", "mailto:a@b.com", "https://", "-bad-.com"],
}
ORIGINAL = "+38160333444"


async def partner_with_contact(world: World) -> tuple[str, str]:
    created = await create_partner(world, world.alice)
    return created["id"], created["contacts"][0]["id"]


async def post_contact(world: World, partner_id: str, body: Any) -> httpx.Response:
    return await world.client.post(
        f"{PARTNERS}/{partner_id}/contacts", json=body, headers=world.alice.headers()
    )


async def patch_contact(
    world: World, partner_id: str, contact_id: str, body: Any, **headers: str
) -> httpx.Response:
    return await world.client.patch(
        f"{PARTNERS}/{partner_id}/contacts/{contact_id}",
        json=body,
        headers=world.alice.headers(**headers),
    )


async def contact_history(world: World, pid: str, cid: str) -> list[dict[str, Any]]:
    _, entries = await list_items(world, world.alice, f"{PARTNERS}/{pid}/contacts/{cid}/history")
    return entries


class TestListContacts:
    async def test_lists_the_partners_contacts_in_order(self, world: World) -> None:
        contacts = [
            {"type": "email", "value": "a@example.com"},
            {"type": "phone", "value": "+1235165336"},
        ]
        created = await create_partner(world, world.alice, contacts=contacts)
        empty = await create_partner(world, world.alice, name="Other", contacts=[])
        total, items = await list_items(world, world.alice, f"{PARTNERS}/{created['id']}/contacts")
        assert total == 2
        assert items == created["contacts"]
        assert [{"type": i["type"], "value": i["value"]} for i in items] == contacts
        path = f"{PARTNERS}/{empty['id']}/contacts"
        assert await list_items(world, world.alice, path) == (0, [])

    async def test_foreign_or_unknown_partner_is_unknown(self, world: World) -> None:
        theirs = await create_partner(world, world.bob)
        for partner_id in (theirs["id"], "999999999", "abc"):
            response = await world.client.get(
                f"{PARTNERS}/{partner_id}/contacts", headers=world.alice.headers()
            )
            assert_error(response, 400, UNKNOWN_PARTNER)


class TestGetContact:
    async def test_answers_the_envelope_and_an_etag(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        response = await world.client.get(
            f"{PARTNERS}/{pid}/contacts/{cid}", headers=world.alice.headers()
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "total": 1,
            "items": [{"id": cid, "type": "mobile", "value": ORIGINAL}],
        }
        assert response.headers["etag"] == '"1"'

    async def test_unknown_malformed_foreign_or_other_partners_contact(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        other = await create_partner(world, world.alice, name="Other")
        paths = [
            f"{PARTNERS}/{other['id']}/contacts/{cid}",
            f"{PARTNERS}/{pid}/contacts/00000000-0000-4000-8000-000000000000",
            f"{PARTNERS}/{pid}/contacts/not-a-uuid",
            f"{PARTNERS}/{pid}/contacts/{'f' * 300}",
        ]
        for path in paths:
            response = await world.client.get(path, headers=world.alice.headers())
            assert_error(response, 400, UNKNOWN_CONTACT)
        response = await world.client.get(
            f"{PARTNERS}/{pid}/contacts/{cid}", headers=world.bob.headers()
        )
        assert_error(response, 400, UNKNOWN_PARTNER)


class TestCreateContact:
    async def test_answers_201_with_id_type_value(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await post_contact(world, created["id"], {"type": "mobile", "value": "43164324"})
        assert response.status_code == 201, response.text
        contact = response.json()
        assert set(contact) == {"id", "type", "value"}
        assert UUID.fullmatch(contact["id"])
        assert (contact["type"], contact["value"]) == ("mobile", "43164324")
        assert (
            response.headers["location"] == f"{PARTNERS}/{created['id']}/contacts/{contact['id']}"
        )
        assert response.headers["etag"] == '"1"'
        got = await get_partner(world, world.alice, created["id"])
        assert got["contacts"] == [*created["contacts"], contact]
        assert got["contact"] == {"mobile": ORIGINAL}
        entries = await contact_history(world, created["id"], contact["id"])
        assert [(e["action"], e["surface"]) for e in entries] == [("create", "hood")]
        assert entries[0]["changes"] == {
            "type": {"old": None, "new": "mobile"},
            "value": {"old": None, "new": "43164324"},
        }

    async def test_double_encoded_body(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await world.client.post(
            f"{PARTNERS}/{created['id']}/contacts",
            content=b'"{\\"type\\": \\"skype\\", \\"value\\": \\"claire\\"}"',
            headers=world.alice.headers(**{"Content-Type": "application/json"}),
        )
        assert response.status_code == 201, response.text
        assert response.json()["value"] == "claire"

    async def test_every_type_accepts_its_valid_values(self, world: World) -> None:
        created = await create_partner(world, world.alice, contacts=[])
        for ctype, values in VALID.items():
            for value in values:
                response = await post_contact(world, created["id"], {"type": ctype, "value": value})
                assert response.status_code == 201, (ctype, value, response.text)
                assert response.json()["value"] == value
        got = await get_partner(world, world.alice, created["id"])
        assert len(got["contacts"]) == sum(len(v) for v in VALID.values())
        assert set(got["contact"]) == set(VALID)

    async def test_invalid_value_or_type_names_the_field(self, world: World) -> None:
        created = await create_partner(world, world.alice, contacts=[])
        for ctype, values in INVALID.items():
            for value in values:
                response = await post_contact(world, created["id"], {"type": ctype, "value": value})
                assert_error(response, 400, "value")
        for body in ({"type": "fax", "value": "+123456"}, {"value": "+123456"}, {"type": None}):
            assert_error(await post_contact(world, created["id"], body), 400, "type")
        assert (await get_partner(world, world.alice, created["id"]))["contacts"] == []

    async def test_foreign_or_unknown_partner_is_unknown(self, world: World) -> None:
        theirs = await create_partner(world, world.bob)
        for partner_id in (theirs["id"], "999999999", "x"):
            response = await post_contact(world, partner_id, {"type": "sip", "value": "abc"})
            assert_error(response, 400, UNKNOWN_PARTNER)
        assert len((await get_partner(world, world.bob, theirs["id"]))["contacts"]) == 1


class TestPatchContact:
    async def test_answers_204_changes_the_value_and_records_it(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        response = await patch_contact(world, pid, cid, {"value": "+381 60 999 999"})
        assert response.status_code == 204, response.text
        assert response.content == b""
        assert response.headers["etag"] == '"2"'
        got = await get_partner(world, world.alice, pid)
        assert got["contacts"] == [{"id": cid, "type": "mobile", "value": "+381 60 999 999"}]
        entries = await contact_history(world, pid, cid)
        assert [e["action"] for e in entries] == ["update", "create"]
        assert entries[0]["changes"] == {"value": {"old": ORIGINAL, "new": "+381 60 999 999"}}

    async def test_type_is_validated_with_the_value(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        assert_error(await patch_contact(world, pid, cid, {"type": "email"}), 400, "value")
        response = await patch_contact(world, pid, cid, {"type": "phone"})
        assert response.status_code == 204, response.text
        assert (await get_partner(world, world.alice, pid))["contact"] == {"phone": ORIGINAL}
        response = await patch_contact(world, pid, cid, {"type": "email", "value": "a@b.example"})
        assert response.status_code == 204, response.text
        assert (await get_partner(world, world.alice, pid))["contact"] == {"email": "a@b.example"}

    async def test_invalid_values_refused_and_nothing_changes(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        refused: list[tuple[dict[str, Any], str]] = [
            ({"value": "not a phone"}, "value"),
            ({"value": None}, "value"),
            ({"type": None}, "type"),
            ({"type": "fax"}, "type"),
            ({"value": 5}, "value"),
            ({}, EMPTY_PATCH),
            ({"id": "x"}, EMPTY_PATCH),
        ]
        for body, needle in refused:
            assert_error(await patch_contact(world, pid, cid, body), 400, needle)
        got = await get_partner(world, world.alice, pid)
        assert got["contacts"] == [{"id": cid, "type": "mobile", "value": ORIGINAL}]

    async def test_if_match(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        stale = await patch_contact(world, pid, cid, {"value": "+111111"}, **{"If-Match": '"9"'})
        assert_error(stale, 412)
        fresh = await patch_contact(world, pid, cid, {"value": "+222222"}, **{"If-Match": '"1"'})
        assert fresh.status_code == 204, fresh.text
        assert (await get_partner(world, world.alice, pid))["contact"]["mobile"] == "+222222"

    async def test_unknown_contact_and_foreign_partner(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        other = await create_partner(world, world.alice, name="Other")
        response = await patch_contact(world, other["id"], cid, {"value": "+12345"})
        assert_error(response, 400, UNKNOWN_CONTACT)
        response = await patch_contact(world, pid, "nope", {"value": "+12345"})
        assert_error(response, 400, UNKNOWN_CONTACT)
        response = await world.client.patch(
            f"{PARTNERS}/{pid}/contacts/{cid}",
            json={"value": "+12345"},
            headers=world.bob.headers(),
        )
        assert_error(response, 400, UNKNOWN_PARTNER)
        assert (await get_partner(world, world.alice, pid))["contact"]["mobile"] == ORIGINAL


class TestDeleteContact:
    async def test_answers_204_the_contact_is_gone_and_its_history_stays(
        self, world: World
    ) -> None:
        pid, cid = await partner_with_contact(world)
        path = f"{PARTNERS}/{pid}/contacts/{cid}"
        response = await world.client.delete(path, headers=world.alice.headers())
        assert response.status_code == 204, response.text
        assert response.content == b""
        assert_error(
            await world.client.get(path, headers=world.alice.headers()), 400, UNKNOWN_CONTACT
        )
        again = await world.client.delete(path, headers=world.alice.headers())
        assert_error(again, 400, UNKNOWN_CONTACT)
        got = await get_partner(world, world.alice, pid)
        assert (got["contacts"], got["contact"]) == ([], {})
        entries = await contact_history(world, pid, cid)
        assert [e["action"] for e in entries] == ["delete", "create"]
        assert entries[0]["changes"]["value"] == {"old": ORIGINAL, "new": None}

    async def test_if_match(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        path = f"{PARTNERS}/{pid}/contacts/{cid}"
        stale = await world.client.delete(path, headers=world.alice.headers(**{"If-Match": '"2"'}))
        assert_error(stale, 412)
        assert len((await get_partner(world, world.alice, pid))["contacts"]) == 1
        fresh = await world.client.delete(path, headers=world.alice.headers(**{"If-Match": '"1"'}))
        assert fresh.status_code == 204

    async def test_foreign_partner_is_unknown_and_contact_survives(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        response = await world.client.delete(
            f"{PARTNERS}/{pid}/contacts/{cid}", headers=world.bob.headers()
        )
        assert_error(response, 400, UNKNOWN_PARTNER)
        assert len((await get_partner(world, world.alice, pid))["contacts"]) == 1


class TestContactHistory:
    async def test_contact_created_with_its_partner_has_a_create_entry(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        [entry] = await contact_history(world, pid, cid)
        assert (entry["action"], entry["version"]) == ("create", 1)
        assert entry["changes"]["value"] == {"old": None, "new": ORIGINAL}

    async def test_legacy_contact_patch_and_null_are_recorded_on_the_contact(
        self, world: World
    ) -> None:
        pid, cid = await partner_with_contact(world)
        response = await world.client.patch(
            f"{PARTNERS}/{pid}",
            json={"contact": {"mobile": "+3816000000", "skype": "claire"}},
            headers=world.alice.headers(),
        )
        assert response.status_code == 204, response.text
        entries = await contact_history(world, pid, cid)
        assert [(e["version"], e["action"]) for e in entries] == [(2, "update"), (1, "create")]
        assert entries[0]["changes"] == {"value": {"old": ORIGINAL, "new": "+3816000000"}}
        skype = (await get_partner(world, world.alice, pid))["contacts"][1]
        assert [e["action"] for e in await contact_history(world, pid, skype["id"])] == ["create"]
        response = await world.client.patch(
            f"{PARTNERS}/{pid}", json={"contact": {"mobile": None}}, headers=world.alice.headers()
        )
        assert response.status_code == 204, response.text
        entries = await contact_history(world, pid, cid)
        assert (entries[0]["version"], entries[0]["action"]) == (3, "delete")

    async def test_foreign_partner_or_unknown_contact_is_unknown(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        response = await world.client.get(
            f"{PARTNERS}/{pid}/contacts/{cid}/history", headers=world.bob.headers()
        )
        assert_error(response, 400, UNKNOWN_PARTNER)
        response = await world.client.get(
            f"{PARTNERS}/{pid}/contacts/00000000-0000-4000-8000-000000000000/history",
            headers=world.alice.headers(),
        )
        assert_error(response, 400, UNKNOWN_CONTACT)

    async def test_is_unknown_under_another_partner_of_the_same_account(self, world: World) -> None:
        pid, cid = await partner_with_contact(world)
        other = await create_partner(world, world.alice, name="Other partner")
        response = await world.client.get(
            f"{PARTNERS}/{other['id']}/contacts/{cid}/history", headers=world.alice.headers()
        )
        assert_error(response, 400, UNKNOWN_CONTACT)
        assert [e["action"] for e in await contact_history(world, pid, cid)] == ["create"]
